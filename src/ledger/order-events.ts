/**
 * What a ledger keeps of an order's events, so that one order can never grow past what SQLite
 * stores in a row (2 MB) however often it is resent with fresh ids: at most MAX_ORDER_EVENTS
 * events per order, taken as they arrive (the excess is ignored and listed for the operator), and
 * a repeated order.placed without its body (only the first placement in replay order can count).
 * Shared by the SellerLedger and the pure ledger in fold.ts, so the two stay equal.
 */
import type { OrderEvent } from "../events/schema.ts";
import { compareEvents, type IgnoredEvent, type KeptEvent, type PlacedRepeat } from "./order-replay.ts";

/**
 * Events kept per order. A real order has a handful (placed, accepted, shipped, delivered, a few
 * refunds and ratings); 100 of the largest (one 32 KiB placement, the rest at most ~2 KiB each:
 * four ids of 128 four-byte characters; repeats without their bodies) stay under 250 KB, an
 * eighth of SQLite's 2 MB row limit.
 */
export const MAX_ORDER_EVENTS = 100;

/** The reason an event past the cap is listed with; such a listing stands for good. */
export const OVER_CAP_REASON = `the order already has ${MAX_ORDER_EVENTS} events`;

/**
 * Adds newly received events (in arrival order) to an order's kept events. Returns the events to
 * keep and those past the cap, ignored; a placement that is not the first in replay order is
 * kept without its body. The first placement only moves earlier as events arrive, so a placement
 * kept without its body is never needed whole again.
 */
export function keepOrderEvents(
  kept: readonly KeptEvent[],
  added: readonly OrderEvent[],
): { kept: KeptEvent[]; overCap: IgnoredEvent[] } {
  const next = [...kept];
  const overCap: IgnoredEvent[] = [];
  for (const event of added) {
    if (next.length < MAX_ORDER_EVENTS) next.push(event);
    else overCap.push({ event_id: event.event_id, type: event.type, reason: OVER_CAP_REASON });
  }
  const placements = next.filter((e) => e.type === "order.placed");
  if (placements.length < 2) return { kept: next, overCap };
  const first = placements.reduce((a, b) => (compareEvents(a, b) <= 0 ? a : b));
  return { kept: next.map((e) => (e.type === "order.placed" && e !== first ? repeatOf(e) : e)), overCap };
}

function repeatOf(e: KeptEvent & { type: "order.placed" }): PlacedRepeat {
  return { event_id: e.event_id, type: e.type, occurred_at: e.occurred_at, order_id: e.order_id };
}
