// @ts-check
/**
 * The seller view's controls: the cards' period and the chart's metric (both remembered for the
 * tab), the custom range of days, and the moments the page must redraw (the theme flips) or catch
 * up (a background tab is seen again). It says what the viewer chose; the view decides what to read.
 */
import { byTestId } from "./dom.js";
import { isPeriod } from "./periods.js";
import { setUpRange } from "./range.js";
import { METRICS, metricById } from "./trend.js";

const PREFS = { period: "sellerpulse.period", metric: "sellerpulse.metric" };

function remember(key, value) {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // storage disabled: the choice lasts for this page
  }
}

function recall(key) {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * @typedef {object} ControlEvents
 * @property {() => string} cardsPeriod  the period the cards show (the range says it beside its own)
 * @property {(period: string) => void} onPeriod
 * @property {() => void} onRange  a custom range chosen or cleared
 * @property {(metric: string) => void} onMetric
 * @property {() => void} onTheme  the colour scheme flipped: charts take their colours again
 * @property {() => void} onSeen  a background tab is seen again
 */

/**
 * Wires the controls under `root`; returns the period and metric to start with (the tab's last
 * choice, or today's GMV) and the custom range.
 * @param {HTMLElement} root
 * @param {ControlEvents} on
 */
export function setUpControls(root, on) {
  const storedPeriod = recall(PREFS.period);
  const period = storedPeriod !== null && isPeriod(storedPeriod) ? storedPeriod : "today";
  const storedMetric = recall(PREFS.metric);
  const metric = storedMetric !== null && metricById(storedMetric) ? storedMetric : "gmv";

  for (const input of root.querySelectorAll('input[name="period"]')) {
    if (!(input instanceof HTMLInputElement)) continue;
    input.checked = input.value === period;
    input.addEventListener("change", () => {
      if (!input.checked || input.value === "custom") return;
      remember(PREFS.period, input.value);
      on.onPeriod(input.value);
    });
  }
  // A custom range of days drives the chart and breakdowns; the cards keep their period.
  const range = setUpRange(root, { cardsPeriod: on.cardsPeriod, onChange: on.onRange });

  const select = /** @type {HTMLSelectElement} */ (byTestId("metric"));
  for (const m of METRICS) select.add(new Option(m.label, m.id, false, m.id === metric));
  select.addEventListener("change", () => {
    remember(PREFS.metric, select.value);
    on.onMetric(select.value);
  });

  // The charts' colours come from the stylesheet: redraw when the theme flips.
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", on.onTheme);
  // A background tab does not need fresh figures; it catches up when seen again.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) on.onSeen();
  });
  return { period, metric, range };
}
