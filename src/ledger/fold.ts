/**
 * The whole ledger as a pure function of the events received, in the order received.
 * The SellerLedger Durable Object is its incremental, durable form; tests hold the two equal,
 * and hold this one to "any arrival order and any duplication gives the in-order result".
 */
import { isOrderEvent, type SellerEvent } from "../events/schema.ts";
import { addHourly, bump, type HourlyCounters } from "../metrics/counters.ts";
import { deriveOrder, type OrderOutcome } from "./order.ts";
import { keepOrderEvents } from "./order-events.ts";
import type { IgnoredEvent, KeptEvent } from "./order-replay.ts";
import { dedupeKeys, directCounter } from "./receive.ts";

export interface FoldedLedger {
  hourly: HourlyCounters;
  /** Each order's outcome; its `ignored` lists the events past the order's cap after those its replay ignored. */
  orders: Map<string, OrderOutcome>;
}

export function foldEvents(events: Iterable<SellerEvent>): FoldedLedger {
  const seen = new Set<string>();
  const direct: HourlyCounters = new Map();
  const byOrder = new Map<string, KeptEvent[]>();
  const overCap = new Map<string, IgnoredEvent[]>();
  for (const event of events) {
    // Every key of every received event is remembered; an event counts only if all are new.
    const keys = dedupeKeys(event);
    const duplicate = keys.some((k) => seen.has(k));
    for (const key of keys) seen.add(key);
    if (duplicate) continue;
    if (isOrderEvent(event)) {
      const kept = keepOrderEvents(byOrder.get(event.order_id) ?? [], [event]);
      byOrder.set(event.order_id, kept.kept);
      if (kept.overCap.length > 0)
        overCap.set(event.order_id, [...(overCap.get(event.order_id) ?? []), ...kept.overCap]);
    }
    const counter = directCounter(event);
    if (counter) bump(direct, counter.hour, counter.field, counter.amount);
  }
  const hourly: HourlyCounters = new Map();
  addHourly(hourly, direct);
  const orders = new Map<string, OrderOutcome>();
  for (const [orderId, orderEvents] of byOrder) {
    const outcome = deriveOrder(orderEvents);
    orders.set(orderId, { ...outcome, ignored: [...outcome.ignored, ...(overCap.get(orderId) ?? [])] });
    addHourly(hourly, outcome.hourly);
  }
  return { hourly, orders };
}
