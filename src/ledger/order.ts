/**
 * The order state machine, as a pure function of the set of an order's events.
 *
 * Arrival order never matters: the events are sorted (compareEvents) and replayed,
 * so any permutation or duplication of the same set gives the same outcome (the ledger stores
 * the set, deduplicated, and re-derives an order whenever it gains an event). An outcome is
 * what the order adds to the seller's hourly counters, breakdowns and products; the ledger
 * swaps an order's old outcome for its new one.
 */
import type { Channel, OrderEvent, OrderPlaced } from "../events/schema.ts";
import { bump, HOUR_MS, type HourlyCounters, hourOf } from "./counters.ts";
import { commissionOf, orderValue } from "./money.ts";

export type OrderStatus = "held" | "placed" | "accepted" | "shipped" | "delivered" | "rejected" | "cancelled";

/** A breakdown cell: one category or channel in one hour. */
export interface DimensionCell {
  hour: number;
  by: "category" | "channel";
  key: string;
  gmv: number;
  orders: number;
}

/** One product's line in one hour, for orders that are neither cancelled nor rejected. */
export interface ProductCell {
  hour: number;
  product_id: string;
  category: string;
  units: number;
  revenue: number;
}

interface IgnoredEvent {
  event_id: string;
  type: OrderEvent["type"];
  reason: string;
}

export interface OrderOutcome {
  status: OrderStatus;
  /** Placement + ship_within_hours, in epoch ms; null while the order is held. */
  deadline_ms: number | null;
  hourly: HourlyCounters;
  dimensions: DimensionCell[];
  products: ProductCell[];
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
function compareEvents(a: OrderEvent, b: OrderEvent): number {
  if (a.occurred_at !== b.occurred_at) return a.occurred_at < b.occurred_at ? -1 : 1;
  if (STEP_RANK[a.type] !== STEP_RANK[b.type]) return STEP_RANK[a.type] - STEP_RANK[b.type];
  return a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0;
}

/** Derives an order from its (deduplicated) events, in any order. */
export function deriveOrder(events: readonly OrderEvent[]): OrderOutcome {
  const sorted = [...events].sort(compareEvents);
  const placedIndex = sorted.findIndex((e) => e.type === "order.placed");
  if (placedIndex === -1) {
    return { status: "held", deadline_ms: null, hourly: new Map(), dimensions: [], products: [], ignored: [] };
  }
  const placed = sorted[placedIndex] as OrderPlaced;
  const value = orderValue(placed.items);
  const placedMs = Date.parse(placed.occurred_at);
  const deadlineMs = placedMs + Math.round(placed.ship_within_hours * HOUR_MS);

  const ignored: IgnoredEvent[] = sorted
    .slice(0, placedIndex)
    .map((e) => ({ event_id: e.event_id, type: e.type, reason: "before the order was placed" }));
  let status: OrderStatus = "placed";
  let accepted = false;
  let cancelledBySeller = false;
  let shippedAt: string | null = null;
  let deliveredAt: string | null = null;
  let refunded = 0;
  const refunds: { at: string; amount: number }[] = [];
  let rating: { at: string; value: number } | null = null;

  const ignore = (e: OrderEvent, reason: string) => ignored.push({ event_id: e.event_id, type: e.type, reason });

  for (const event of sorted.slice(placedIndex + 1)) {
    if (status === "rejected") {
      ignore(event, "after the order was rejected");
      continue;
    }
    switch (event.type) {
      case "order.placed":
        ignore(event, "the order was already placed");
        break;
      case "order.accepted":
        if (status !== "placed") ignore(event, `accepted when ${status}`);
        else [status, accepted] = ["accepted", true];
        break;
      case "order.rejected":
        if (status !== "placed") ignore(event, `rejected when ${status}`);
        else status = "rejected";
        break;
      case "order.cancelled":
        if (status === "delivered" || status === "cancelled") ignore(event, `cancelled when ${status}`);
        else [status, cancelledBySeller] = ["cancelled", event.by === "seller"];
        break;
      case "order.shipped":
        // A shipment without an acceptance counts as accepted at shipment.
        if (status !== "placed" && status !== "accepted") ignore(event, `shipped when ${status}`);
        else [status, accepted, shippedAt] = ["shipped", true, event.occurred_at];
        break;
      case "order.delivered":
        // A delivery without a shipment counts as shipped (and accepted) at delivery.
        if (status === "shipped") [status, deliveredAt] = ["delivered", event.occurred_at];
        else if (status === "placed" || status === "accepted") {
          [status, accepted, shippedAt, deliveredAt] = ["delivered", true, event.occurred_at, event.occurred_at];
        } else ignore(event, `delivered when ${status}`);
        break;
      case "order.refunded": {
        // Cumulative refunds are capped at the order's value; the excess is ignored.
        const amount = Math.min(event.amount, value - refunded);
        if (amount <= 0) ignore(event, "refunds exceed the order's value");
        else {
          refunded += amount;
          refunds.push({ at: event.occurred_at, amount });
        }
        break;
      }
      case "rating.submitted":
        // Sorted replay: the latest rating (occurred_at, then event_id) replaces earlier ones.
        rating = { at: event.occurred_at, value: event.rating };
        break;
    }
  }

  const cancelled = status === "cancelled";
  const rejected = status === "rejected";
  const live = !cancelled && !rejected;
  const placedHour = hourOf(placed.occurred_at);
  const hourly: HourlyCounters = new Map();
  bump(hourly, placedHour, "orders", 1);
  bump(hourly, placedHour, "gmv", live ? value : 0);
  bump(hourly, placedHour, "accepted", accepted ? 1 : 0);
  bump(hourly, placedHour, "rejected", rejected ? 1 : 0);
  bump(hourly, placedHour, "cancelled", cancelled ? 1 : 0);
  bump(hourly, placedHour, "cancelled_by_seller", cancelledBySeller ? 1 : 0);
  if (shippedAt !== null) {
    bump(hourly, placedHour, "shipped", 1);
    bump(hourly, placedHour, "shipped_on_time", Date.parse(shippedAt) <= deadlineMs ? 1 : 0);
  }
  if (rating !== null) {
    const hour = hourOf(rating.at);
    bump(hourly, hour, "ratings", 1);
    bump(hourly, hour, "rating_sum", rating.value);
    bump(hourly, hour, "positive_ratings", rating.value >= 4 ? 1 : 0);
    bump(hourly, hour, "negative_ratings", rating.value <= 2 ? 1 : 0);
  }
  for (const refund of refunds) bump(hourly, hourOf(refund.at), "refunds", refund.amount);
  if (deliveredAt !== null) {
    // Payout accrues at delivery; each refund is deducted at the later of refund and delivery.
    const commission = commissionOf(value, placed.commission_bps);
    const deliveredHour = hourOf(deliveredAt);
    bump(hourly, deliveredHour, "payout_accrued", value - commission - placed.fee);
    bump(hourly, deliveredHour, "commission", commission);
    bump(hourly, deliveredHour, "fees", placed.fee);
    for (const refund of refunds) {
      const hour = Math.max(deliveredHour, hourOf(refund.at));
      bump(hourly, hour, "payout_accrued", -refund.amount);
      bump(hourly, hour, "refunds_deducted", refund.amount);
    }
  }

  return {
    status,
    deadline_ms: deadlineMs,
    hourly,
    dimensions: dimensionsOf(placed, placedHour, live),
    products: live ? productsOf(placed, placedHour) : [],
    ignored,
  };
}

/**
 * An order's value is split over its items' categories; its count goes to the category of its
 * largest line (quantity × unit_price, the first such on a tie). The channel gets both whole.
 */
function dimensionsOf(placed: OrderPlaced, hour: number, live: boolean): DimensionCell[] {
  let gmv = 0;
  const byCategory = new Map<string, number>();
  let largest = placed.items[0]!;
  for (const item of placed.items) {
    const line = item.quantity * item.unit_price;
    if (live) gmv += line;
    byCategory.set(item.category, (byCategory.get(item.category) ?? 0) + (live ? line : 0));
    if (line > largest.quantity * largest.unit_price) largest = item;
  }
  const cells: DimensionCell[] = [...byCategory].map(([key, categoryGmv]) => ({
    hour,
    by: "category",
    key,
    gmv: categoryGmv,
    orders: key === largest.category ? 1 : 0,
  }));
  cells.push({ hour, by: "channel", key: placed.channel satisfies Channel, gmv, orders: 1 });
  return cells;
}

function productsOf(placed: OrderPlaced, hour: number): ProductCell[] {
  const byProduct = new Map<string, ProductCell>();
  for (const item of placed.items) {
    const cell = byProduct.get(item.product_id) ?? {
      hour,
      product_id: item.product_id,
      category: item.category,
      units: 0,
      revenue: 0,
    };
    cell.units += item.quantity;
    cell.revenue += item.quantity * item.unit_price;
    byProduct.set(item.product_id, cell);
  }
  return [...byProduct.values()];
}
