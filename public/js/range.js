// @ts-check
/**
 * The custom range beside Today / 7 days / 30 days / All time: whole UTC days, from and to both
 * included, for the trend chart and the breakdowns (the cards keep the period they had, and the
 * note under the range says which). Returns `custom()`: the details' view of the range, or null
 * while a period of the cards is chosen.
 */
import { byTestId } from "./dom.js";
import { dayRange } from "./format.js";
import { customRanges, PERIODS } from "./periods.js";

const DAY_MS = 86_400_000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

export function setUpRange(root, { cardsPeriod, onChange }) {
  const form = byTestId("custom-range", root);
  const [from, to] = /** @type {HTMLInputElement[]} */ ([byTestId("range-from", root), byTestId("range-to", root)]);
  const note = byTestId("range-note", root);
  let chosen = null;
  const today = isoDay(Date.now());
  to.value = today;
  from.value = isoDay(Date.now() - 13 * DAY_MS);
  for (const input of [from, to]) input.max = today;

  for (const input of root.querySelectorAll('input[name="period"]')) {
    if (!(input instanceof HTMLInputElement)) continue;
    input.addEventListener("change", () => {
      if (!input.checked) return;
      form.hidden = input.value !== "custom";
      if (input.value === "custom") from.focus();
      else chosen = null;
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (from.value > to.value) [from.value, to.value] = [to.value, from.value];
    chosen = { from: from.value, to: to.value };
    const last = isoDay(Date.parse(`${to.value}T00:00:00Z`) + DAY_MS);
    note.textContent = `The chart and breakdowns show ${dayRange(from.value, last)}; the cards show ${PERIODS[cardsPeriod()].label}.`;
    onChange();
  });

  return {
    custom() {
      if (!chosen) return null;
      const ranges = customRanges(chosen.from, chosen.to);
      const last = isoDay(Date.parse(`${chosen.to}T00:00:00Z`) + DAY_MS);
      return { label: dayRange(chosen.from, last), ranges, days: ranges.days };
    },
  };
}
