// @ts-check
/**
 * The breakdowns: GMV and orders by category, channel and region for the chosen period, largest
 * GMV first, each as a bar chart beside its table. Category and region rows show their share of
 * the period's GMV; channel rows their visits and conversion (orders ÷ visits), a channel with
 * visits and no orders included.
 */
import { chartColors, drawChart, reducedMotion } from "./chart-colors.js";

const sortedRows = (rows) =>
  [...rows].sort((a, b) => b.gmv - a.gmv || b.orders - a.orders || String(a.key).localeCompare(String(b.key)));

export function renderBreakdown(table, rows, format, { visits = false } = {}) {
  const body = table.tBodies[0];
  const sorted = sortedRows(rows);
  const total = sorted.reduce((sum, row) => sum + row.gmv, 0);
  const fresh = document.createDocumentFragment();
  if (sorted.length === 0) {
    const tr = fresh.appendChild(document.createElement("tr"));
    const td = tr.appendChild(document.createElement("td"));
    td.colSpan = visits ? 5 : 4;
    td.className = "empty";
    td.textContent = visits ? "No orders or visits in this period" : "No orders in this period";
  }
  for (const row of sorted) {
    const tr = fresh.appendChild(document.createElement("tr"));
    tr.dataset.key = row.key;
    const th = tr.appendChild(document.createElement("th"));
    th.scope = "row";
    th.textContent = row.key;
    const share = total > 0 ? row.gmv / total : null;
    const cells = visits
      ? [
          [format.money(row.gmv), "gmv"],
          [format.count(row.orders), "orders"],
          [format.count(row.visits ?? 0), "visits"],
          [format.percent(row.conversion_rate ?? null), "conversion"],
        ]
      : [
          [format.money(row.gmv), "gmv"],
          [format.count(row.orders), "orders"],
          [format.percent(share), "share"],
        ];
    for (const [text, name] of cells) {
      const td = tr.appendChild(document.createElement("td"));
      td.className = "num";
      td.dataset.col = name;
      td.textContent = text;
      if (name === "share" && share !== null) td.style.setProperty("--share", String(share));
    }
  }
  body.replaceChildren(fresh);
}

/** The rows' GMV as horizontal bars (the table beside it says the same in words). */
export function drawBreakdownChart(holder, canvas, rows, format, what) {
  const sorted = sortedRows(rows).slice(0, 10);
  const total = rows.reduce((sum, row) => sum + row.gmv, 0);
  canvas.setAttribute(
    "aria-label",
    sorted.length === 0
      ? `GMV by ${what}: nothing in this period`
      : `GMV by ${what}: ${sorted.map((r) => `${r.key} ${format.money(r.gmv)}`).join(", ")}; total ${format.money(total)}`,
  );
  const c = chartColors();
  drawChart(holder, canvas, {
    type: "bar",
    data: {
      labels: sorted.map((r) => r.key),
      datasets: [
        {
          label: "GMV",
          data: sorted.map((r) => r.gmv),
          backgroundColor: c.soft,
          hoverBackgroundColor: c.accent,
          borderRadius: 3,
        },
      ],
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: reducedMotion() ? false : { duration: 200 },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (ctx) => format.money(ctx.parsed.x) } } },
      scales: {
        x: {
          beginAtZero: true,
          grid: { color: c.grid },
          border: { display: false },
          ticks: { color: c.muted, maxTicksLimit: 4, callback: (v) => format.moneyCompact(Number(v)) },
        },
        y: { grid: { display: false }, ticks: { color: c.muted } },
      },
    },
  });
}
