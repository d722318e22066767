// @ts-check
/**
 * The charts' colours, read from the stylesheet's custom properties, so that every chart follows
 * the light and dark themes (a chart redraws when the theme flips).
 */
export function cssColor(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** The colours every chart uses: accent, its soft fill, the muted text and the grid. */
export function chartColors() {
  const accent = cssColor("--accent", "#4f46e5");
  return {
    accent,
    soft: cssColor("--accent-soft", accent),
    muted: cssColor("--muted", "#667085"),
    grid: cssColor("--grid", "rgba(0,0,0,0.08)"),
    surface: cssColor("--surface", "#ffffff"),
  };
}

export const reducedMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;

/** Chart.js, which a classic script from /vendor puts on window (undefined if it did not load). */
export const chartJs = () =>
  /** @type {typeof import("chart.js").Chart | undefined} */ (/** @type {{ Chart?: unknown }} */ (window).Chart);

/**
 * Draws a Chart.js chart on `canvas`, or updates the one already there in place (a chart of
 * another type is replaced); null without Chart.js.
 */
export function drawChart(holder, canvas, config) {
  const Chart = chartJs();
  if (typeof Chart !== "function") return null;
  if (holder.chart && holder.chart.config.type === config.type) {
    holder.chart.data = config.data;
    holder.chart.options = config.options;
    holder.chart.update("none");
  } else {
    holder.chart?.destroy();
    holder.chart = new Chart(canvas, config);
  }
  return holder.chart;
}
