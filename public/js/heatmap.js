// @ts-check
/**
 * "When your customers buy": orders by weekday and UTC hour over the last four whole weeks, from
 * the hourly series (GET /timeseries, 672 hours), drawn as a matrix (chartjs-chart-matrix, served
 * from /vendor like Chart.js) and given as a table of hours by weekday.
 */
import { chartColors, drawChart } from "./chart-colors.js";
import { h } from "./dom.js";

const DAY_MS = 86_400_000;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const HOURS = Array.from({ length: 24 }, (_, i) => String(i).padStart(2, "0"));

/** Orders by [weekday (Monday first)][hour] from hourly points. */
function ordersByWeekHour(points) {
  const grid = WEEKDAYS.map(() => new Array(24).fill(0));
  for (const p of points) {
    const at = new Date(p.t);
    grid[(at.getUTCDay() + 6) % 7][at.getUTCHours()] += p.value ?? 0;
  }
  return grid;
}

export class Heatmap {
  constructor(panel, { api, format, onFailure }) {
    this.panel = panel;
    this.api = api;
    this.format = format;
    this.onFailure = onFailure;
    this.canvas = panel.querySelector("canvas");
    this.table = panel.querySelector("table");
    this.holder = { chart: null };
    this.grid = null;
  }

  async refresh() {
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const from = new Date(today - 28 * DAY_MS).toISOString();
    try {
      const series = await this.api.timeseries("orders", "hour", from, new Date(today).toISOString());
      this.grid = ordersByWeekHour(series.points);
      this.draw();
    } catch (error) {
      this.onFailure(error);
    }
  }

  draw() {
    if (!this.grid) return;
    const format = this.format();
    const grid = this.grid;
    const max = Math.max(1, ...grid.flat());
    const total = grid.flat().reduce((sum, n) => sum + n, 0);
    const busiest = grid.flatMap((row, d) => row.map((n, hour) => ({ n, d, hour }))).sort((a, b) => b.n - a.n)[0];
    const words =
      total === 0
        ? "No orders in the last four weeks"
        : `${format.count(total)} orders in the last four weeks; the busiest hour is ${WEEKDAYS[busiest.d]} ${HOURS[busiest.hour]}:00 UTC (${format.count(busiest.n)})`;
    this.canvas.setAttribute("aria-label", words);
    this.panel.dataset.total = String(total);
    this.renderTable(grid, format);
    const c = chartColors();
    const [r, g, b] = rgbOf(c.accent);
    const data = grid.flatMap((row, d) => row.map((n, hour) => ({ x: HOURS[hour], y: WEEKDAYS[d], v: n })));
    drawChart(this.holder, this.canvas, {
      type: "matrix",
      data: {
        datasets: [
          {
            label: "Orders",
            data,
            backgroundColor: (ctx) => `rgba(${r}, ${g}, ${b}, ${(0.08 + 0.92 * ((ctx.raw?.v ?? 0) / max)).toFixed(3)})`,
            borderColor: c.surface,
            borderWidth: 1,
            width: ({ chart }) => (chart.chartArea?.width ?? 240) / 24 - 1,
            height: ({ chart }) => (chart.chartArea?.height ?? 140) / 7 - 1,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => `${items[0].raw.y} ${items[0].raw.x}:00 UTC`,
              label: (item) => `${format.count(item.raw.v)} orders`,
            },
          },
        },
        scales: {
          x: {
            type: "category",
            labels: HOURS,
            grid: { display: false },
            ticks: { color: c.muted, maxRotation: 0, autoSkipPadding: 6 },
          },
          y: { type: "category", labels: WEEKDAYS, offset: true, grid: { display: false }, ticks: { color: c.muted } },
        },
      },
    });
  }

  renderTable(grid, format) {
    const head = this.table.tHead.rows[0];
    head.replaceChildren(
      h("th", { scope: "col" }, "Hour"),
      ...WEEKDAYS.map((d) => h("th", { scope: "col", className: "num" }, d)),
    );
    this.table.tBodies[0].replaceChildren(
      ...HOURS.map((hour, i) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, `${hour}:00`),
          ...grid.map((row) => h("td", { className: "num" }, format.count(row[i]))),
        ),
      ),
    );
  }

  restyle() {
    this.draw();
  }
}

/** A colour's red, green and blue, via the canvas's own parser (which gives `#rrggbb`). */
function rgbOf(color) {
  const probe = document.createElement("canvas").getContext("2d");
  if (!probe) return [79, 70, 229];
  probe.fillStyle = color;
  const hex = String(probe.fillStyle);
  return hex.startsWith("#") ? [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) : [79, 70, 229];
}
