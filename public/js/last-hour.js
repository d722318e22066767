// @ts-check
/**
 * "Last 60 minutes": GMV, orders or visits by minute (GET /timeseries?granularity=minute) as
 * bars that move live: read again every 15 s and a few seconds after each push, so the newest
 * minute fills as orders land and the oldest slides out. The same minutes as a table.
 */
import { chartColors, drawChart, reducedMotion } from "./chart-colors.js";
import { h } from "./dom.js";

const MINUTE_MS = 60_000;
const WORDS = { gmv: "GMV", orders: "Orders", visits: "Visits" };
const minuteOf = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

export class LastHour {
  constructor(panel, { api, format, onFailure }) {
    this.panel = panel;
    this.api = api;
    this.format = format;
    this.onFailure = onFailure;
    this.canvas = panel.querySelector("canvas");
    this.caption = panel.querySelector("[data-testid=minutes-caption]");
    this.table = panel.querySelector("table");
    this.select = panel.querySelector("[data-testid=minutes-metric]");
    this.holder = { chart: null };
    this.seq = 0;
    this.last = null;
    this.select.addEventListener("change", () => this.refresh());
  }

  async refresh() {
    const seq = ++this.seq;
    const metric = this.select.value;
    const now = Date.now();
    const to = new Date(now).toISOString();
    const from = new Date((Math.floor(now / MINUTE_MS) - 59) * MINUTE_MS).toISOString();
    try {
      const series = await this.api.minutes(metric, from, to);
      if (seq !== this.seq) return;
      this.last = { metric, points: series.points };
      this.draw();
    } catch (error) {
      if (seq === this.seq) this.onFailure(error);
    }
  }

  draw() {
    if (!this.last) return;
    const { metric, points } = this.last;
    const format = this.format();
    const show = metric === "gmv" ? format.money : format.count;
    const values = points.map((p) => p.value);
    const total = values.reduce((sum, v) => sum + v, 0);
    const text = `${WORDS[metric]} per minute, the last 60 minutes (UTC) · total ${show(total)}`;
    this.caption.textContent = text;
    this.caption.dataset.total = String(total);
    this.canvas.setAttribute("aria-label", text);
    this.canvas.dataset.points = String(points.length);
    this.panel.dataset.metric = metric;
    this.table.caption.textContent = text;
    this.panel.querySelector("[data-testid=minutes-table-metric]").textContent = WORDS[metric];
    this.table.tBodies[0].replaceChildren(
      ...points
        .toReversed()
        .map((p) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, minuteOf.format(new Date(p.t))),
            h("td", { className: "num" }, show(p.value)),
          ),
        ),
    );
    const c = chartColors();
    drawChart(this.holder, this.canvas, {
      type: "bar",
      data: {
        labels: points.map((p) => minuteOf.format(new Date(p.t))),
        datasets: [
          {
            label: WORDS[metric],
            data: values,
            backgroundColor: c.soft,
            hoverBackgroundColor: c.accent,
            borderRadius: 2,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reducedMotion() ? false : { duration: 200 },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (ctx) => show(ctx.parsed.y) } } },
        scales: {
          x: { grid: { display: false }, ticks: { color: c.muted, maxRotation: 0, autoSkipPadding: 12 } },
          y: {
            beginAtZero: true,
            suggestedMax: metric === "gmv" ? Math.max(100, format.minorPerMajor) : 1,
            grid: { color: c.grid },
            border: { display: false },
            ticks: {
              color: c.muted,
              precision: 0,
              callback: (v) => (metric === "gmv" ? format.moneyCompact(Number(v)) : show(Number(v))),
            },
          },
        },
      },
    });
  }

  /** Draws again in the colours of the current theme. */
  restyle() {
    this.draw();
  }
}
