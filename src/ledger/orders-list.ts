/**
 * The orders a seller acts on (GET /v1/sellers/{id}/orders and the live ticker): the statements
 * and rows, read from the columns the write path keeps beside each order's events. Reads only.
 * An order still held (no placement yet) is never listed.
 */
import { z } from "@hono/zod-openapi";
import { encodeCursor } from "../http/cursor.ts";

/** The lists' indexes: every placed order by placement, the open ones by deadline, the late ones by shipment. */
export const ORDERS_LIST_INDEXES = `
  CREATE INDEX IF NOT EXISTS orders_by_placed ON orders (placed_ms, order_id) WHERE placed_ms IS NOT NULL;
  CREATE INDEX IF NOT EXISTS orders_due ON orders (deadline_ms, order_id) WHERE status IN ('placed', 'accepted');
  CREATE INDEX IF NOT EXISTS orders_late ON orders (shipped_ms, order_id) WHERE shipped_ms > deadline_ms;
`;

export const ORDER_LISTS = ["open", "overdue", "late", "all"] as const;
export type OrderList = (typeof ORDER_LISTS)[number];

const COLUMNS = "order_id, status, placed_ms, order_value, units, deadline_ms, shipped_ms";

/**
 * Each list after the cursor's (key, order_id), at most ?3 rows. Open orders come by deadline,
 * which puts the overdue ones (deadline before now) first, the latest of them first. Each walks
 * its index in order and stops at the page's end (named: without statistics, SQLite would take
 * orders_open for the open ones and sort them all).
 */
const LIST: Record<OrderList, string> = {
  open: `SELECT ${COLUMNS} FROM orders INDEXED BY orders_due WHERE status IN ('placed', 'accepted')
         AND (deadline_ms, order_id) > (?1, ?2) ORDER BY deadline_ms, order_id LIMIT ?3`,
  overdue: `SELECT ${COLUMNS} FROM orders INDEXED BY orders_due WHERE status IN ('placed', 'accepted')
            AND deadline_ms < ?4 AND (deadline_ms, order_id) > (?1, ?2) ORDER BY deadline_ms, order_id LIMIT ?3`,
  late: `SELECT ${COLUMNS} FROM orders INDEXED BY orders_late WHERE shipped_ms > deadline_ms
         AND (shipped_ms, order_id) < (?1, ?2) ORDER BY shipped_ms DESC, order_id DESC LIMIT ?3`,
  all: `SELECT ${COLUMNS} FROM orders INDEXED BY orders_by_placed WHERE placed_ms IS NOT NULL
        AND (placed_ms, order_id) < (?1, ?2) ORDER BY placed_ms DESC, order_id DESC LIMIT ?3`,
};
/** Which column each list is ordered by, and which way. */
const ORDERED_BY: Record<OrderList, { key: keyof StoredOrder; descending: boolean }> = {
  open: { key: "deadline_ms", descending: false },
  overdue: { key: "deadline_ms", descending: false },
  late: { key: "shipped_ms", descending: true },
  all: { key: "placed_ms", descending: true },
};
const BY_ID = `SELECT ${COLUMNS} FROM orders WHERE placed_ms IS NOT NULL AND order_id IN (SELECT value FROM json_each(?1))`;

const instant = z.string().describe("RFC 3339, UTC");
const count = z.int();

const orderRowSchema = z
  .object({
    order_id: z.string(),
    status: z.enum(["placed", "accepted", "shipped", "delivered", "cancelled", "rejected"]),
    placed_at: instant,
    value: z.int().describe("Σ quantity × unit_price of its items, minor units"),
    items: count.describe("units ordered"),
    deadline: instant.describe("placement + ship_within_hours"),
    shipped_at: instant.nullable(),
    overdue: z.boolean().describe("awaiting acceptance or shipment, past its deadline now"),
    late: z.boolean().describe("shipped after its deadline (the deadline itself is on time)"),
  })
  .openapi("OrderRow");

export const ordersSchema = z
  .object({
    orders: z.array(orderRowSchema),
    next_cursor: z.string().nullable().describe("null on the last page"),
  })
  .openapi("Orders");

export type Orders = z.infer<typeof ordersSchema>;
/** An orders row, as the API shows it. */
export type OrderRow = z.infer<typeof orderRowSchema>;
/** A listed order's status: every one but "held". */
type Listed = OrderRow["status"];

/** An order's columns as stored (the write path hands the ticker the same, fresh). */
export type StoredOrder = {
  order_id: string;
  status: Listed;
  placed_ms: number;
  order_value: number;
  units: number;
  deadline_ms: number;
  shipped_ms: number | null;
};

const iso = (ms: number) => new Date(ms).toISOString();

function rowOf(o: StoredOrder, nowMs: number): OrderRow {
  return {
    order_id: o.order_id,
    status: o.status,
    placed_at: iso(o.placed_ms),
    value: o.order_value,
    items: o.units,
    deadline: iso(o.deadline_ms),
    shipped_at: o.shipped_ms === null ? null : iso(o.shipped_ms),
    overdue: (o.status === "placed" || o.status === "accepted") && o.deadline_ms < nowMs,
    late: o.shipped_ms !== null && o.shipped_ms > o.deadline_ms,
  };
}

/** Where a page starts: after this sort key and order id (the last row of the page before). */
export type After = [key: number, orderId: string];

export interface OrdersPage {
  orders: OrderRow[];
  /** The last row's place (its sort key and id), when more rows follow. */
  next: { key: number; orderId: string } | null;
}

/** A page as GET /orders answers it: its next_cursor names the list and the last row's place. */
export function ordersBody(list: OrderList, page: OrdersPage): Orders {
  const next = page.next === null ? null : encodeCursor([list, page.next.key, page.next.orderId]);
  return { orders: page.orders, next_cursor: next };
}

/** A page of a list: `limit` rows after `after` (null: from the start). */
export function ordersOf(
  sql: SqlStorage,
  list: OrderList,
  limit: number,
  after: After | null,
  nowMs: number,
): OrdersPage {
  const { key, descending } = ORDERED_BY[list];
  // Before every row: the extremes of a JavaScript date (every stored time is within them).
  const [from, id] = after ?? (descending ? [8.64e15 + 1, ""] : [-8.64e15 - 1, ""]);
  const bindings = list === "overdue" ? [from, id, limit + 1, nowMs] : [from, id, limit + 1];
  const rows = sql.exec<StoredOrder>(LIST[list], ...bindings).toArray();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    orders: page.map((o) => rowOf(o, nowMs)),
    next: rows.length > limit && last ? { key: last[key] as number, orderId: last.order_id } : null,
  };
}

/** The rows of these orders (those not placed yet left out), for the live ticker and a lookup by id. */
export function ordersById(sql: SqlStorage, orderIds: readonly string[], nowMs: number): OrderRow[] {
  if (orderIds.length === 0) return [];
  return sql
    .exec<StoredOrder>(BY_ID, JSON.stringify(orderIds))
    .toArray()
    .map((o) => rowOf(o, nowMs));
}

/** At most this many order messages go out for one batch (an import can change thousands): the newest. */
const TICKER_MAX = 100;

/**
 * The live ticker's messages for the orders a batch placed or changed (as the write path just
 * stored them: no read), oldest placement first, the newest TICKER_MAX at most.
 */
export function tickerMessages(orders: readonly StoredOrder[], nowMs: number): string[] {
  return [...orders]
    .sort((a, b) => a.placed_ms - b.placed_ms)
    .slice(-TICKER_MAX)
    .map((o) => JSON.stringify({ type: "order", order: rowOf(o, nowMs) }));
}
