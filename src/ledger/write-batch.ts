/**
 * A SellerLedger's write path over its SQLite storage: dedupe a batch, re-derive the orders it
 * touches, and add the net change to the stored rows. Runs inside the ledger's transaction;
 * the object itself decides when, and what follows (flush, push).
 */

import { jsonChunks } from "../db/json-chunks.ts";
import { isOrderEvent, type OrderEvent, type SellerEvent } from "../events/schema.ts";
import { bump, COUNTER_FIELDS, type HourlyCounters, isZero } from "../metrics/counters.ts";
import { type Owner, unwatchOrder, watchOrder } from "./alert-store.ts";
import { addVisits, emptyDelta, type LedgerDelta, swapOutcome } from "./delta.ts";
import { markDirty } from "./dirty-keys.ts";
import { WRITE } from "./ledger-sql.ts";
import type { MinuteDelta } from "./minutes.ts";
import { deriveOrder } from "./order.ts";
import { keepOrderEvents, OVER_CAP_REASON } from "./order-events.ts";
import type { KeptEvent } from "./order-replay.ts";
import type { StoredOrder } from "./orders-list.ts";
import { dedupeKeys, directCounter } from "./receive.ts";

/** What a ledger tells the consumer of a batch it applied. */
export interface ApplyResult {
  applied: number;
  duplicates: number;
}

export interface BatchWritten {
  /** The events that counted: none of their keys was seen before. */
  applied: number;
  /** Whether any figure changed: an order's status or deadline (the open counts), or a stored row. */
  changed: boolean;
  /** The batch's net change to the hourly counters (the trailing periods follow it). */
  hourly: HourlyCounters;
  /** The orders whose row in the orders list changed (placed, or a new status): for the live ticker. */
  listed: StoredOrder[];
  /** What the batch adds to the minute counters, for the ledger to keep (minutes.ts). */
  minutes: MinuteDelta;
}

type OrderRow = [
  orderId: string,
  status: string,
  deadlineMs: number | null,
  events: KeptEvent[],
  riskMs: number | null,
  // What the orders list shows (orders-list.ts); null while held.
  placedMs: number | null,
  value: number | null,
  units: number | null,
  shippedMs: number | null,
];

/** Applies a batch's new events; rows it changes carry `seq` in `dirty`, for the next flush. */
export function writeBatch(
  sql: SqlStorage,
  events: SellerEvent[],
  seq: number,
  owner: Owner,
  now: string,
): BatchWritten {
  const fresh = remember(sql, events);
  if (fresh.length === 0) return { applied: 0, changed: false, hourly: new Map(), listed: [], minutes: new Map() };
  const delta = emptyDelta();
  const added = new Map<string, OrderEvent[]>();
  for (const event of fresh) {
    const counter = directCounter(event);
    if (counter) bump(delta.hourly, counter.hour, counter.field, counter.amount);
    if (event.type === "storefront.visits") addVisits(delta, event);
    if (isOrderEvent(event)) {
      const list = added.get(event.order_id);
      if (list) list.push(event);
      else added.set(event.order_id, [event]);
    }
  }
  const stored = storedOrders(sql, [...added.keys()]);
  // By which of the list's indexed columns change (WRITE.saveOrders).
  const rows: OrderRow[][] = [[], [], [], []];
  const listed: StoredOrder[] = [];
  let moved = false;
  for (const [orderId, newEvents] of added) {
    const rederived = rederive(sql, orderId, stored.get(orderId) ?? [], newEvents, delta);
    if (rederived === null) continue;
    const { row, changed, was, variant } = rederived;
    if (changed) watchSla(sql, owner, seq, orderId, was, row, now);
    if (row[1] !== was && row[1] !== "held") listed.push(storedOf(row));
    rows[variant]!.push(row);
    moved ||= changed;
  }
  for (const [variant, saved] of rows.entries()) {
    for (const chunk of jsonChunks(saved)) sql.exec(WRITE.saveOrders[variant]!, chunk);
  }
  const latest = fresh.reduce<SellerEvent | null>(
    (last, e) => (e.type === "order.placed" && (last === null || e.occurred_at > last.occurred_at) ? e : last),
    null,
  );
  if (latest?.type === "order.placed") sql.exec(WRITE.region, JSON.stringify([latest.occurred_at, latest.region]));
  const written = writeDelta(sql, delta, seq);
  return { applied: fresh.length, changed: moved || written > 0, hourly: delta.hourly, listed, minutes: delta.minutes };
}

/** A placed order's row as the orders list stores it (never a held one: its status and times are set). */
function storedOf(row: OrderRow): StoredOrder {
  const [order_id, status, deadline_ms, , , placed_ms, order_value, units, shipped_ms] = row;
  return { order_id, status, deadline_ms, placed_ms, order_value, units, shipped_ms } as StoredOrder;
}

/**
 * An accepted order awaiting shipment is watched for its SLA alerts; one that leaves that state
 * (shipped, cancelled, or re-derived otherwise) is not, and its open SLA alerts resolve.
 */
function watchSla(
  sql: SqlStorage,
  owner: Owner,
  seq: number,
  orderId: string,
  was: string,
  row: OrderRow,
  now: string,
): void {
  const [, status, deadlineMs, , riskMs] = row;
  if (status === "accepted") watchOrder(sql, orderId, riskMs!, deadlineMs!);
  else if (was === "accepted") unwatchOrder(sql, owner, seq, orderId, now);
}

/**
 * Records the dedupe keys of a batch and returns the events that count: those none of whose
 * keys were seen before, in this batch or ever.
 */
function remember(sql: SqlStorage, events: SellerEvent[]): SellerEvent[] {
  const keysOf = events.map(dedupeKeys);
  // The keys these statements insert are exactly those never seen before this batch.
  const inserted = new Set<string>();
  for (const chunk of jsonChunks(keysOf.flat())) {
    for (const row of sql.exec<{ key: string }>(WRITE.remember, chunk)) inserted.add(row.key);
  }
  const seen = new Set<string>();
  return events.filter((_, i) => {
    const keys = keysOf[i]!;
    const duplicate = keys.some((key) => !inserted.has(key) || seen.has(key));
    for (const key of keys) seen.add(key);
    return !duplicate;
  });
}

/** The stored events of these orders (orders never seen have none). */
function storedOrders(sql: SqlStorage, orderIds: string[]): Map<string, KeptEvent[]> {
  const stored = new Map<string, KeptEvent[]>();
  for (const chunk of jsonChunks(orderIds)) {
    for (const row of sql.exec<{ order_id: string; events: string }>(WRITE.ordersOf, chunk)) {
      stored.set(row.order_id, JSON.parse(row.events) as KeptEvent[]);
    }
  }
  return stored;
}

/**
 * Swaps an order's old contribution for the one derived from its grown event set; `changed`:
 * its status or deadline did (what the open counts are made of). Events past the order's cap
 * are listed as ignored and change nothing else (null: the order kept nothing new).
 */
function rederive(
  sql: SqlStorage,
  orderId: string,
  before: KeptEvent[],
  added: OrderEvent[],
  delta: LedgerDelta,
): { row: OrderRow; changed: boolean; was: string; variant: number } | null {
  const { kept: events, overCap } = keepOrderEvents(before, added);
  for (const e of overCap) sql.exec(WRITE.ignore, e.event_id, orderId, e.type, e.reason);
  const previous = deriveOrder(before);
  // Nothing new is kept: the order and its other listings stay as they are.
  if (overCap.length === added.length) return null;
  const next = deriveOrder(events);
  swapOutcome(delta, previous, next);
  if (previous.ignored.length > 0) sql.exec(WRITE.forgetIgnored, orderId, OVER_CAP_REASON);
  for (const e of next.ignored) sql.exec(WRITE.ignore, e.event_id, orderId, e.type, e.reason);
  const changed = next.status !== previous.status || next.deadline_ms !== previous.deadline_ms;
  const l = next.listed;
  const row: OrderRow = [
    orderId,
    next.status,
    next.deadline_ms,
    events,
    next.risk_ms,
    l?.placed_ms ?? null,
    l?.value ?? null,
    l?.units ?? null,
    l?.shipped_ms ?? null,
  ];
  const variant =
    2 * Number((previous.listed?.placed_ms ?? null) !== row[5]) +
    Number((previous.listed?.shipped_ms ?? null) !== row[8]);
  return { row, changed, was: previous.status, variant };
}

/** Adds a batch's net changes to the stored rows, marking them dirty (stamp and key); returns how many rows changed. */
function writeDelta(sql: SqlStorage, delta: LedgerDelta, seq: number): number {
  const hourly = [...delta.hourly]
    .filter(([, c]) => !isZero(c))
    .map(([hour, c]) => [hour, ...COUNTER_FIELDS.map((f) => c[f])]);
  const dimensions = [...delta.dimensions.values()]
    .filter((c) => c.gmv !== 0 || c.orders !== 0 || c.visits !== 0)
    .map((c) => [c.by, c.key, c.hour, c.gmv, c.orders, c.visits]);
  const products = [...delta.products.values()]
    .filter((c) => c.orders !== 0 || c.units !== 0 || c.revenue !== 0)
    .map((c) => [c.product_id, c.hour, c.category, c.units, c.revenue, c.orders]);
  for (const chunk of jsonChunks(hourly)) sql.exec(WRITE.addHourly, chunk, seq);
  for (const chunk of jsonChunks(dimensions)) sql.exec(WRITE.addDimensions, chunk);
  const shipping = [...delta.shipping.values()]
    .filter((c) => c.orders !== 0)
    .map((c) => [c.hour, c.ship_hours, c.orders]);
  for (const chunk of jsonChunks(products)) sql.exec(WRITE.addProducts, chunk, seq);
  for (const chunk of jsonChunks(shipping)) sql.exec(WRITE.addShipping, chunk, seq);
  for (const [hour] of hourly) markDirty(sql, "hourly", hour);
  for (const [productId, hour] of products) markDirty(sql, "products", [productId, hour]);
  for (const [hour, shipHours] of shipping) markDirty(sql, "shipping", [hour, shipHours]);
  return hourly.length + dimensions.length + products.length + shipping.length;
}
