// @ts-check
/**
 * The overview's trend: GMV as bars (left axis, money) and orders as a line (right axis, counts)
 * per hour of today or per day of the period, drawn with Chart.js (window.Chart), and the same
 * points as a table for those who cannot see the chart. Colours come from the stylesheet's custom
 * properties, so the chart follows light and dark themes.
 */
import { chartJs, cssColor, drawChart } from "./chart-colors.js";
import { h } from "./dom.js";
import { bucketLabel, bucketTitle } from "./format.js";

export class OverviewChart {
  constructor(canvas, caption, table) {
    this.canvas = canvas;
    this.caption = caption;
    this.table = table.querySelector("table");
    this.chart = null;
    this.last = null;
    // A theme change repaints in the new colours.
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.last && this.render(...this.last));
  }

  render(overview, f) {
    this.last = [overview, f];
    const granularity = overview.period === "today" ? "hour" : "day";
    const points = overview.trend;
    const per = granularity === "hour" ? "hour" : "day";
    const words = `GMV and orders per ${per} (UTC) · total ${f.money(overview.gmv)}, ${f.count(overview.orders)} orders`;
    this.caption.textContent = words;
    this.canvas.setAttribute("aria-label", words);
    this.canvas.dataset.points = String(points.length);
    this.renderTable(points, granularity, f, words);
    if (!chartJs()) {
      this.caption.textContent = `${words} (the chart library did not load)`;
      return;
    }
    const labels = points.map((p) => bucketLabel(p.t, granularity, granularity === "day"));
    const muted = cssColor("--muted", "#667085");
    const line = cssColor("--series-2", "#0e7490");
    /** @type {import("chart.js").ChartDataset<"bar" | "line">[]} */
    const datasets = [
      {
        type: "bar",
        label: "GMV",
        data: points.map((p) => p.gmv),
        yAxisID: "money",
        backgroundColor: cssColor("--accent-soft", "#4f46e5"),
        hoverBackgroundColor: cssColor("--accent", "#4f46e5"),
        borderRadius: 3,
        maxBarThickness: 28,
        order: 2,
      },
      {
        type: "line",
        label: "Orders",
        data: points.map((p) => p.orders),
        yAxisID: "count",
        borderColor: line,
        backgroundColor: line,
        borderWidth: 2,
        pointRadius: points.length > 48 ? 1.5 : 3,
        cubicInterpolationMode: "monotone",
        order: 1,
      },
    ];
    const axis = (position, callback, gridColor) => ({
      position,
      beginAtZero: true,
      grid: { color: gridColor, drawOnChartArea: position === "left" },
      border: { display: false },
      ticks: { color: muted, precision: 0, callback },
    });
    /** @type {import("chart.js").ChartOptions<"bar" | "line">} */
    const options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 250 },
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { labels: { color: muted, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (ctx) =>
              `${ctx.dataset.label}: ${ctx.dataset.yAxisID === "money" ? f.money(ctx.parsed.y) : f.count(ctx.parsed.y)}`,
          },
        },
      },
      scales: {
        x: { grid: { display: false }, ticks: { color: muted, maxRotation: 0, autoSkipPadding: 16 } },
        money: {
          ...axis("left", (v) => f.moneyCompact(Number(v)), cssColor("--grid", "rgba(0,0,0,0.08)")),
          suggestedMax: Math.max(100, f.minorPerMajor),
        },
        count: { ...axis("right", (v) => f.count(Number(v))), suggestedMax: 1 },
      },
    };
    // Bars by default; the orders dataset is drawn as a line over them.
    drawChart(this, this.canvas, { type: "bar", data: { labels, datasets }, options });
  }

  /** The chart's text equivalent: every bucket, newest first. */
  renderTable(points, granularity, f, words) {
    this.table.caption.textContent = words;
    this.table.tBodies[0].replaceChildren(
      ...points
        .toReversed()
        .map((p) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, bucketTitle(p.t, granularity)),
            h("td", { className: "num" }, f.money(p.gmv)),
            h("td", { className: "num" }, f.count(p.orders)),
          ),
        ),
    );
  }
}
