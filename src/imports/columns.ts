/**
 * The CSV form of events: one row per event, a column per field of the contract's events, an
 * empty cell for a field the event does not have, and `items` as a JSON array (an order's items
 * are a list; one cell keeps a row one event). The header names the columns, in any order;
 * it must name event_id, type, occurred_at and seller_id, and nothing that is not a column.
 */

export const CSV_COLUMNS = [
  "event_id",
  "type",
  "occurred_at",
  "seller_id",
  "order_id",
  "currency",
  "items",
  "commission_bps",
  "fee",
  "region",
  "channel",
  "ship_within_hours",
  "reason",
  "by",
  "refund_id",
  "amount",
  "rating",
  "visits",
  "payout_id",
] as const;

const REQUIRED = ["event_id", "type", "occurred_at", "seller_id"];
const NUMBERS = new Set(["commission_bps", "fee", "ship_within_hours", "amount", "rating", "visits"]);
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Why a header is refused, or null when it names columns an import can read. */
export function headerProblem(columns: readonly string[]): string | null {
  const known = new Set<string>(CSV_COLUMNS);
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    return `the header names columns that are not event fields: ${unknown.map((c) => JSON.stringify(c)).join(", ")} (the columns are ${CSV_COLUMNS.join(", ")})`;
  }
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) return `the header names a column twice: ${repeated.join(", ")}`;
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) return `the header lacks the columns ${missing.join(", ")}`;
  return null;
}

/**
 * A row as the event it describes, for the event schema to judge: empty cells left out, numbers
 * as numbers, `items` parsed. A cell that cannot be read (items that are not JSON) is an error.
 */
export function eventOfRow(
  columns: readonly string[],
  cells: readonly string[],
): { event: unknown } | { error: string } {
  if (cells.length !== columns.length) {
    return { error: `the row has ${cells.length} cells; the header has ${columns.length} columns` };
  }
  const event: Record<string, unknown> = {};
  for (const [i, column] of columns.entries()) {
    const cell = cells[i]!;
    if (cell === "") continue;
    if (column === "items") {
      try {
        event.items = JSON.parse(cell);
      } catch {
        return { error: "items is not a JSON array" };
      }
    } else event[column] = NUMBERS.has(column) && NUMBER.test(cell) ? Number(cell) : cell;
  }
  return { event };
}
