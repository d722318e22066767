// @ts-check
/**
 * The breakdown tables: GMV and orders by category and by channel for the chosen period,
 * largest GMV first, with each row's share of the period's GMV.
 */
export function renderBreakdown(table, rows, format) {
  const body = table.tBodies[0];
  const sorted = [...rows].sort(
    (a, b) => b.gmv - a.gmv || b.orders - a.orders || String(a.key).localeCompare(String(b.key)),
  );
  const total = sorted.reduce((sum, row) => sum + row.gmv, 0);
  const fresh = document.createDocumentFragment();
  if (sorted.length === 0) {
    const tr = fresh.appendChild(document.createElement("tr"));
    const td = tr.appendChild(document.createElement("td"));
    td.colSpan = 4;
    td.className = "empty";
    td.textContent = "No orders in this period";
  }
  for (const row of sorted) {
    const tr = fresh.appendChild(document.createElement("tr"));
    tr.dataset.key = row.key;
    const th = tr.appendChild(document.createElement("th"));
    th.scope = "row";
    th.textContent = row.key;
    const share = total > 0 ? row.gmv / total : null;
    for (const [text, name] of [
      [format.money(row.gmv), "gmv"],
      [format.count(row.orders), "orders"],
      [format.percent(share), "share"],
    ]) {
      const td = tr.appendChild(document.createElement("td"));
      td.className = "num";
      td.dataset.col = name;
      td.textContent = text;
      if (name === "share" && share !== null) td.style.setProperty("--share", String(share));
    }
  }
  body.replaceChildren(fresh);
}
