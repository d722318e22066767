// @ts-check
/**
 * Sortable tables: the button in a header cell with `data-sort` orders the rows by that key,
 * first in the column's natural direction (`data-first`, default descending), then the other
 * way, and aria-sort says which, so screen readers announce it. The owner renders the rows.
 */
const ARIA = { asc: "ascending", desc: "descending" };

export function makeSortable(table, initial, onChange) {
  let order = { ...initial };
  const headers = [...table.tHead.querySelectorAll("th[data-sort]")];
  const paint = () => {
    for (const th of headers) {
      if (th.dataset.sort === order.key) th.setAttribute("aria-sort", ARIA[order.direction]);
      else th.removeAttribute("aria-sort");
    }
  };
  for (const th of headers) {
    th.querySelector("button").addEventListener("click", () => {
      const key = th.dataset.sort;
      const flipped = order.direction === "asc" ? "desc" : "asc";
      order = { key, direction: key === order.key ? flipped : (th.dataset.first ?? "desc") };
      paint();
      onChange(order);
    });
  }
  paint();
  return () => order;
}

/** The rows in `order`; rows without a value (null) go last either way, ties keep their order. */
export function sortRows(rows, order, keyOf) {
  const factor = order.direction === "asc" ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: keyOf(row, order.key) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null)
        return Number(a.value === null) - Number(b.value === null) || a.index - b.index;
      const compared = typeof a.value === "string" ? a.value.localeCompare(b.value) : a.value - b.value;
      return compared * factor || a.index - b.index;
    })
    .map((entry) => entry.row);
}
