// @ts-check
/**
 * The trend chart: one metric of /timeseries as bars (counts and money) or a line (rates),
 * drawn with Chart.js (window.Chart, loaded by a classic script from /vendor), and the same
 * points as a table for those who cannot see the chart. Colours come from the stylesheet's
 * custom properties, so the chart follows light and dark themes.
 */
import { chartJs, cssColor, drawChart } from "./chart-colors.js";
import { h } from "./dom.js";
import { bucketLabel, bucketTitle } from "./format.js";

/** The metrics offered, in the order of the select; `kind` decides format and chart type. */
export const METRICS = [
  { id: "gmv", label: "GMV", kind: "money" },
  { id: "orders", label: "Orders", kind: "count" },
  { id: "accepted", label: "Accepted orders", kind: "count" },
  { id: "cancelled", label: "Cancelled orders", kind: "count" },
  { id: "shipped", label: "Shipped orders", kind: "count" },
  { id: "late_shipments", label: "Late shipments", kind: "count" },
  { id: "visits", label: "Visits", kind: "count" },
  { id: "ratings", label: "Ratings", kind: "count" },
  { id: "refunds", label: "Refunds", kind: "money" },
  { id: "payout_accrued", label: "Payout accrued", kind: "money" },
  { id: "payout_paid", label: "Payout paid", kind: "money" },
  { id: "acceptance_rate", label: "Acceptance rate", kind: "rate" },
  { id: "cancellation_rate", label: "Cancellation rate", kind: "rate" },
  { id: "sla_compliance", label: "SLA compliance", kind: "rate" },
  { id: "conversion_rate", label: "Conversion rate", kind: "rate" },
  { id: "avg_rating", label: "Average rating", kind: "rating" },
];

export const metricById = (id) => METRICS.find((m) => m.id === id);

/**
 * A rate is undefined (null) in buckets without its divisor. Its line bridges such a gap dashed
 * (nothing was measured there) up to this many buckets wide, and leaves a wider gap empty.
 */
const BRIDGED_BUCKETS = { hour: 6, day: 3 };

/**
 * Segment styles for that (Chart.js's "line segment styling": with spanGaps, the segments
 * through a gap are those with a skipped end). `values` are the drawn values, nulls included.
 * @public (the browser tests import it from the page)
 */
export function bridgedSegment(values, granularity) {
  const widest = BRIDGED_BUCKETS[granularity] ?? 1;
  // For each bucket, the length of the run of nulls it is in (0 for a value).
  const gapWidth = new Array(values.length).fill(0);
  for (let i = 0; i < values.length; ) {
    let end = i;
    while (end < values.length && values[end] === null) end++;
    gapWidth.fill(end - i, i, end);
    i = Math.max(end, i + 1);
  }
  const gapOf = (ctx) => (ctx.p1.skip ? gapWidth[ctx.p1DataIndex] : ctx.p0.skip ? gapWidth[ctx.p0DataIndex] : 0);
  return {
    borderDash: (ctx) => (gapOf(ctx) > 0 ? [4, 4] : undefined),
    borderColor: (ctx) => (gapOf(ctx) > widest ? "transparent" : undefined),
  };
}

const TICK_PRECISION = { count: 0, money: 0, rate: 3 };

export class TrendChart {
  constructor(canvas, caption, table) {
    this.canvas = canvas;
    this.caption = caption;
    this.table = table;
    this.chart = null;
    this.last = null;
  }

  /**
   * Draws the points (all time starts at the seller's first day: the range asked for says so),
   * and `previous`, the same buckets of the period before, as a second line when given.
   * `onPick(t)`: a day's bar was chosen (clicked, or Enter on the table's row).
   */
  render(args) {
    this.last = args;
    const { metric, points, granularity, periodLabel, format, previous = null, onPick = null } = args;
    const multiDay = points.length > 0 && points[0].t.slice(0, 10) !== points[points.length - 1].t.slice(0, 10);
    const labels = points.map((p) => bucketLabel(p.t, granularity, multiDay));
    const values = points.map((p) => p.value);
    const show = this.formatOf(metric, format);
    const tick = metric.kind === "money" ? format.moneyCompact : show;
    const type = metric.kind === "rate" || metric.kind === "rating" ? "line" : "bar";

    const per = granularity === "hour" ? "hour" : "day";
    const total =
      metric.kind === "money" || metric.kind === "count" ? values.reduce((sum, v) => sum + (v ?? 0), 0) : null;
    const captionText = `${metric.label} per ${per}, ${periodLabel} (UTC)${total === null ? "" : ` · total ${show(total)}`}`;
    this.caption.textContent = captionText;
    this.caption.dataset.total = total === null ? "" : String(total);
    this.canvas.setAttribute("aria-label", captionText);
    this.canvas.dataset.points = String(points.length);
    this.canvas.dataset.metric = metric.id;
    this.renderTable(metric, points, granularity, show, captionText, previous, onPick);

    if (typeof chartJs() !== "function") {
      this.caption.textContent = `${captionText} (the chart library did not load)`;
      return;
    }
    const accent = cssColor("--accent", "#4f46e5");
    const grid = cssColor("--grid", "rgba(0,0,0,0.08)");
    const muted = cssColor("--muted", "#667085");
    const dataset = {
      label: metric.label,
      data: values,
      backgroundColor: type === "bar" ? cssColor("--accent-soft", accent) : accent,
      hoverBackgroundColor: accent,
      borderColor: accent,
      borderWidth: type === "bar" ? 0 : 2,
      borderRadius: 3,
      // Monotone, so the curve never overshoots; see bridgedSegment for the buckets without a rate.
      pointRadius: values.length > 48 ? 1.5 : 3,
      cubicInterpolationMode: "monotone",
      spanGaps: true,
      segment: bridgedSegment(values, granularity),
      clip: 4,
      maxBarThickness: 28,
    };
    /** @type {import("chart.js").ChartDataset<"line" | "bar">[]} */
    const datasets = [/** @type {import("chart.js").ChartDataset<"line" | "bar">} */ (dataset)];
    if (previous) {
      datasets.push({
        type: /** @type {const} */ ("line"),
        label: "Period before",
        data: previous.map((p) => p.value),
        borderColor: muted,
        backgroundColor: muted,
        borderDash: [5, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        spanGaps: true,
        order: -1,
      });
    }
    /** @type {import("chart.js").ChartOptions<"line" | "bar">} */
    const options = {
      responsive: true,
      maintainAspectRatio: false,
      onClick: (_, elements) => {
        const picked = elements.find((e) => e.datasetIndex === 0);
        if (picked && onPick && granularity === "day") onPick(points[picked.index].t);
      },
      animation: matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 250 },
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: previous !== null, labels: { color: muted, boxHeight: 2 } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${show(ctx.parsed.y)}` } },
      },
      scales: {
        x: { grid: { display: false }, ticks: { color: muted, maxRotation: 0, autoSkipPadding: 16 } },
        y: {
          beginAtZero: true,
          // Rates scale to their values (a 2 % conversion is not a flat line at the foot of
          // 0-100 %); money spans at least 100 minor units or one major unit (KWD has 1,000),
          // so an empty chart does not repeat "$0" at every fraction of a cent.
          suggestedMax:
            metric.kind === "rating" ? 5 : metric.kind === "money" ? Math.max(100, format.minorPerMajor) : undefined,
          grid: { color: grid },
          border: { display: false },
          // Steps of whole minor units and counts, and of 0.1 % (what the percent format shows).
          ticks: { color: muted, precision: TICK_PRECISION[metric.kind], callback: (v) => tick(Number(v)) },
        },
      },
    };
    drawChart(this, this.canvas, { type, data: { labels, datasets }, options });
    this.canvas.dataset.previous = previous ? String(previous.length) : "";
  }

  /**
   * The chart's text equivalent: every bucket, its value and the period before's, newest first;
   * a day's name is a button to its hours, as a bar is on the chart.
   */
  renderTable(metric, points, granularity, show, captionText, previous, onPick) {
    const table = this.table.querySelector("table");
    table.caption.textContent = captionText;
    table.querySelector("[data-testid=trend-table-metric]").textContent = metric.label;
    table.querySelector("[data-testid=trend-table-previous]").hidden = !previous;
    const rows = points.map((p, i) => {
      const title = bucketTitle(p.t, granularity);
      const label =
        onPick && granularity === "day"
          ? h(
              "button",
              {
                type: "button",
                className: "button-quiet",
                onclick: () => onPick(p.t),
                "aria-label": `${title}: show its hours`,
              },
              title,
            )
          : title;
      return h(
        "tr",
        { dataset: { t: p.t } },
        h("th", { scope: "row" }, label),
        h("td", { className: "num" }, show(p.value)),
        previous ? h("td", { className: "num" }, show(previous[i]?.value ?? null)) : null,
      );
    });
    table.tBodies[0].replaceChildren(...rows.toReversed());
  }

  /** Draws the last points again, in the colours of the current theme. */
  restyle() {
    if (this.last) this.render(this.last);
  }

  formatOf(metric, format) {
    return { money: format.money, count: format.count, rate: format.percent, rating: format.rating }[metric.kind];
  }
}
