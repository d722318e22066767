/**
 * Replaying an order: its events sorted (compareEvents) and applied in turn to the lifecycle,
 * giving what happened to the order and when, and the events that made no sense in its state.
 * Counting what that adds to the seller's figures is order-counts.ts's job, not this one's.
 */
import type { OrderEvent, OrderPlaced } from "../events/schema.ts";
import { orderValue } from "./money.ts";

export type OrderStatus = "held" | "placed" | "accepted" | "shipped" | "delivered" | "rejected" | "cancelled";

/**
 * A repeated order.placed as a ledger keeps it: only what places it among the order's events.
 * Only the first placement (in replay order) can ever count, so a repeat's body is never read.
 */
export type PlacedRepeat = Pick<OrderPlaced, "event_id" | "type" | "occurred_at" | "order_id">;

/** An order's event as a ledger keeps it: whole, or a repeated placement without its body. */
export type KeptEvent = OrderEvent | PlacedRepeat;

export interface IgnoredEvent {
  event_id: string;
  type: KeptEvent["type"];
  reason: string;
}

/** A placed order's history, as replayed: the dates are the events' occurred_at (UTC, ISO). */
export interface OrderHistory {
  placed: OrderPlaced;
  status: Exclude<OrderStatus, "held">;
  accepted: boolean;
  cancelledBySeller: boolean;
  shippedAt: string | null;
  deliveredAt: string | null;
  /** The refunds that count (capped at the order's value), in the order they applied. */
  refunds: { at: string; amount: number }[];
  /** The latest rating (by occurred_at, then event_id). */
  rating: { at: string; value: number } | null;
  ignored: IgnoredEvent[];
}

/**
 * Where each step sits in a lifecycle. Events with the same occurred_at (an order placed and
 * auto-accepted in the same second, say) apply in this order, and only then by event_id.
 */
const STEP_RANK: Record<OrderEvent["type"], number> = {
  "order.placed": 0,
  "order.accepted": 1,
  "order.rejected": 1,
  "order.cancelled": 2,
  "order.shipped": 3,
  "order.delivered": 4,
  "order.refunded": 5,
  "rating.submitted": 5,
};

/** The order in which an order's events apply: occurred_at, then lifecycle step, then event_id. */
export function compareEvents(a: KeptEvent, b: KeptEvent): number {
  if (a.occurred_at !== b.occurred_at) return a.occurred_at < b.occurred_at ? -1 : 1;
  if (STEP_RANK[a.type] !== STEP_RANK[b.type]) return STEP_RANK[a.type] - STEP_RANK[b.type];
  return a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0;
}

/**
 * Replays an order's (deduplicated) events, in any order; null while it is held (not placed yet).
 * The first placement in replay order must be whole (order-events.ts keeps it so).
 */
export function replayOrder(events: readonly KeptEvent[]): OrderHistory | null {
  const sorted = [...events].sort(compareEvents);
  const placedIndex = sorted.findIndex((e) => e.type === "order.placed");
  if (placedIndex === -1) return null;
  const placed = sorted[placedIndex]!;
  if (!("items" in placed)) throw new Error(`order ${placed.order_id}: its first placement was kept without its body`);
  const history: OrderHistory = {
    placed,
    status: "placed",
    accepted: false,
    cancelledBySeller: false,
    shippedAt: null,
    deliveredAt: null,
    refunds: [],
    rating: null,
    ignored: sorted.slice(0, placedIndex).map((e) => ignoredAs(e, "before the order was placed")),
  };
  const value = orderValue(history.placed.items);
  for (const event of sorted.slice(placedIndex + 1)) {
    const reason = apply(history, event, value);
    if (reason !== null) history.ignored.push(ignoredAs(event, reason));
  }
  return history;
}

const ignoredAs = (e: KeptEvent, reason: string): IgnoredEvent => ({ event_id: e.event_id, type: e.type, reason });

/** Applies one event to the history; returns why it was ignored, or null when it applied. */
function apply(h: OrderHistory, event: KeptEvent, value: number): string | null {
  const { status } = h;
  if (status === "rejected") return "after the order was rejected";
  switch (event.type) {
    case "order.placed":
      return "the order was already placed";
    case "order.accepted":
      if (status !== "placed") return `accepted when ${status}`;
      [h.status, h.accepted] = ["accepted", true];
      return null;
    case "order.rejected":
      if (status !== "placed") return `rejected when ${status}`;
      h.status = "rejected";
      return null;
    case "order.cancelled":
      if (status === "delivered" || status === "cancelled") return `cancelled when ${status}`;
      [h.status, h.cancelledBySeller] = ["cancelled", event.by === "seller"];
      return null;
    case "order.shipped":
      // A shipment without an acceptance counts as accepted at shipment.
      if (status !== "placed" && status !== "accepted") return `shipped when ${status}`;
      [h.status, h.accepted, h.shippedAt] = ["shipped", true, event.occurred_at];
      return null;
    case "order.delivered":
      // A delivery without a shipment counts as shipped (and accepted) at delivery.
      if (status === "shipped") [h.status, h.deliveredAt] = ["delivered", event.occurred_at];
      else if (status === "placed" || status === "accepted") {
        [h.status, h.accepted, h.shippedAt, h.deliveredAt] = ["delivered", true, event.occurred_at, event.occurred_at];
      } else return `delivered when ${status}`;
      return null;
    case "order.refunded": {
      // Cumulative refunds are capped at the order's value; the excess is ignored.
      const amount = Math.min(event.amount, value - h.refunds.reduce((sum, r) => sum + r.amount, 0));
      if (amount <= 0) return "refunds exceed the order's value";
      h.refunds.push({ at: event.occurred_at, amount });
      return null;
    }
    case "rating.submitted":
      // Sorted replay: the latest rating (occurred_at, then event_id) replaces earlier ones.
      h.rating = { at: event.occurred_at, value: event.rating };
      return null;
  }
}
