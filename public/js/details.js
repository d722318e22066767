// @ts-check
/**
 * The period's details: the trend chart with the period before as a second line (a day's bar
 * opens its hours, "Back to the days" closes them) and the breakdowns by category, channel and
 * region, each a chart beside its table, for a period of the cards or a custom range of days.
 * A stale answer (an older read that lands after a newer one) is dropped.
 */
import { drawBreakdownChart, renderBreakdown } from "./breakdown.js";
import { byTestId } from "./dom.js";
import { bucketTitle } from "./format.js";
import { dayHours, PERIODS, previousChart } from "./periods.js";
import { metricById, TrendChart } from "./trend.js";

/** @type {[by: string, what: string, options: { visits?: boolean }][]} */
const BREAKDOWNS = [
  ["category", "category", {}],
  ["channel", "channel", { visits: true }],
  ["region", "region", {}],
];

export class Details {
  constructor(root, { api, format }) {
    this.root = root;
    this.api = api;
    this.format = format;
    this.chart = new TrendChart(byTestId("trend-chart"), byTestId("trend-caption"), byTestId("trend-table"));
    this.charts = Object.fromEntries(BREAKDOWNS.map(([by]) => [by, { chart: null }]));
    this.seq = 0;
    /** @type {string | null} the day (ISO) whose hours the chart shows, or null */
    this.drilled = null;
    this.last = null;
    byTestId("trend-back").addEventListener("click", () => {
      this.drilled = null;
      this.redraw();
    });
  }

  /**
   * Reads and draws the details of `view`: { metric, label, ranges, days } (ranges as periods.js
   * gives them; days: the period's length for the line before, null for all time).
   */
  async refresh(view) {
    const seq = ++this.seq;
    this.last = view;
    const { metric, ranges, days } = view;
    const granularity = this.drilled ? "hour" : ranges.granularity;
    // One read holds the period and the one before: the same buckets `shift` earlier.
    const chart = this.drilled ? dayHours(this.drilled) : ranges.chart;
    const before = this.drilled ? 1 : days;
    const from = previousChart(chart, before)?.from ?? chart.from;
    const shift = before ? before * (granularity === "hour" ? 24 : 1) : 0;
    // The chart first, the breakdowns when they come: a metric's change shows at once.
    const breakdowns = Promise.all(
      BREAKDOWNS.map(([by]) => this.api.breakdown(by, ranges.breakdown.from, ranges.breakdown.to)),
    );
    breakdowns.catch(() => {}); // awaited below; a failure is reported there
    const series = await this.api.timeseries(metric, granularity, from, chart.to);
    const points = { granularity: series.granularity, points: series.points.slice(shift) };
    const previous = shift ? { points: series.points.slice(0, points.points.length) } : null;
    if (seq !== this.seq) return false;
    const label = this.drilled ? bucketTitle(this.drilled, "day") : view.label;
    this.chart.render({
      metric: metricById(metric),
      points: points.points,
      granularity: points.granularity,
      periodLabel: label,
      format: this.format(),
      previous: previous?.points ?? null,
      onPick: this.drilled ? null : (t) => this.drill(t),
    });
    byTestId("trend-drill").hidden = !this.drilled;
    byTestId("trend-drill-day").textContent = this.drilled ? `Hours of ${label} (UTC), against the day before` : "";
    const rows = await breakdowns;
    if (seq !== this.seq) return false;
    BREAKDOWNS.forEach(([by, what, options], i) => {
      renderBreakdown(byTestId(`breakdown-${by}`), rows[i].rows, this.format(), options);
      drawBreakdownChart(this.charts[by], byTestId(`breakdown-${by}-chart`), rows[i].rows, this.format(), what);
    });
    return true;
  }

  /** Opens a day's hours on the chart. */
  drill(dayIso) {
    this.drilled = dayIso;
    this.root.dataset.drilled = dayIso.slice(0, 10);
    this.redraw().then(() => byTestId("trend-back").focus());
  }

  async redraw() {
    if (!this.drilled) delete this.root.dataset.drilled;
    if (this.last) await this.refresh(this.last).catch(() => {});
  }

  /** Leaves a day's hours when the period changes. */
  reset() {
    this.drilled = null;
    delete this.root.dataset.drilled;
  }

  restyle() {
    this.chart.restyle();
    if (this.last) this.redraw();
  }
}

/** What the details show for a period of the cards: its label and the length of the period before. */
export const presetView = (period, metric, ranges) => ({
  metric,
  label: PERIODS[period].label,
  ranges,
  days: PERIODS[period].days,
});
