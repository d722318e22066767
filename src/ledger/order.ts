/**
 * The order state machine, as a pure function of the set of an order's events: replayed in
 * order (order-replay.ts), then counted into what the order adds to the seller's hourly
 * counters, breakdowns and products. Arrival order never matters: any permutation or
 * duplication of the same set gives the same outcome, and the ledger swaps an order's old
 * outcome for its new one whenever the order gains an event.
 */
import type { OrderPlaced } from "../events/schema.ts";
import { bump, HOUR_MS, type HourlyCounters, hourOf } from "../metrics/counters.ts";
import { commissionOf, orderValue } from "./money.ts";
import { type IgnoredEvent, type KeptEvent, type OrderHistory, type OrderStatus, replayOrder } from "./order-replay.ts";

export type { OrderStatus } from "./order-replay.ts";

/** What a breakdown is by: the items' categories, the order's traffic channel or its region. */
export type Dimension = "category" | "channel" | "region";

/** A breakdown cell: one category, channel or region in one hour (visits: a channel's, from storefront.visits). */
export interface DimensionCell {
  hour: number;
  by: Dimension;
  key: string;
  gmv: number;
  orders: number;
  visits: number;
}

/** One product's line in one hour, for orders that are neither cancelled nor rejected (a row type, as SQL returns it). */
export type ProductCell = {
  hour: number;
  product_id: string;
  category: string;
  /** Orders of the product in the hour (1 per order here; sums in the ledger). */
  orders: number;
  units: number;
  revenue: number;
};

/**
 * A shipped order's placement hour and whole hours from placement to shipment: the histogram
 * a seller's median shipping time (the benchmarks' ship_hours) is read from.
 */
export type ShipCell = { hour: number; ship_hours: number };

/** What the orders list shows of a placed order, in epoch ms and minor units (orders-list.ts). */
interface ListedOrder {
  placed_ms: number;
  /** Σ quantity × unit_price of its items. */
  value: number;
  /** Σ quantity: the units ordered. */
  units: number;
  shipped_ms: number | null;
}

export interface OrderOutcome {
  status: OrderStatus;
  /** Placement + ship_within_hours, in epoch ms; null while the order is held. */
  deadline_ms: number | null;
  /** When 75% of ship_within_hours has passed (its SLA is at risk), in epoch ms; null while held. */
  risk_ms: number | null;
  hourly: HourlyCounters;
  dimensions: DimensionCell[];
  products: ProductCell[];
  shipping: ShipCell | null;
  ignored: IgnoredEvent[];
  /** Null while held. */
  listed: ListedOrder | null;
}

/** Derives an order from its (deduplicated) events as a ledger keeps them (order-events.ts), in any order. */
export function deriveOrder(events: readonly KeptEvent[]): OrderOutcome {
  const history = replayOrder(events);
  if (history === null) {
    const nothing = { hourly: new Map(), dimensions: [], products: [], shipping: null, ignored: [], listed: null };
    return { status: "held", deadline_ms: null, risk_ms: null, ...nothing };
  }
  const { placed, status } = history;
  const live = status !== "cancelled" && status !== "rejected";
  const placedHour = hourOf(placed.occurred_at);
  return {
    status,
    deadline_ms: deadlineOf(placed),
    risk_ms: Date.parse(placed.occurred_at) + Math.round(0.75 * placed.ship_within_hours * HOUR_MS),
    hourly: countersOf(history),
    dimensions: dimensionsOf(placed, placedHour, live),
    products: live ? productsOf(placed, placedHour) : [],
    shipping:
      history.shippedAt === null
        ? null
        : {
            hour: placedHour,
            ship_hours: Math.max(
              0,
              Math.floor((Date.parse(history.shippedAt) - Date.parse(placed.occurred_at)) / HOUR_MS),
            ),
          },
    ignored: history.ignored,
    listed: {
      placed_ms: Date.parse(placed.occurred_at),
      value: orderValue(placed.items),
      units: placed.items.reduce((sum, item) => sum + item.quantity, 0),
      shipped_ms: history.shippedAt === null ? null : Date.parse(history.shippedAt),
    },
  };
}

/** When the order must have shipped to be on time: placement + ship_within_hours, in epoch ms. */
function deadlineOf(placed: OrderPlaced): number {
  return Date.parse(placed.occurred_at) + Math.round(placed.ship_within_hours * HOUR_MS);
}

/**
 * What the order adds to the hourly counters. Order metrics are dated by the placement; a
 * rating and a refund by their own events; the payout by the delivery (a refund after it, by
 * the refund).
 */
function countersOf(h: OrderHistory): HourlyCounters {
  const { placed, status } = h;
  const value = orderValue(placed.items);
  const cancelled = status === "cancelled";
  const rejected = status === "rejected";
  const placedHour = hourOf(placed.occurred_at);
  const hourly: HourlyCounters = new Map();
  bump(hourly, placedHour, "orders", 1);
  bump(hourly, placedHour, "gmv", cancelled || rejected ? 0 : value);
  bump(hourly, placedHour, "accepted", h.accepted ? 1 : 0);
  bump(hourly, placedHour, "rejected", rejected ? 1 : 0);
  bump(hourly, placedHour, "cancelled", cancelled ? 1 : 0);
  bump(hourly, placedHour, "cancelled_by_seller", h.cancelledBySeller ? 1 : 0);
  if (h.shippedAt !== null) {
    bump(hourly, placedHour, "shipped", 1);
    bump(hourly, placedHour, "shipped_on_time", Date.parse(h.shippedAt) <= deadlineOf(placed) ? 1 : 0);
  }
  if (h.rating !== null) {
    const hour = hourOf(h.rating.at);
    bump(hourly, hour, "ratings", 1);
    bump(hourly, hour, "rating_sum", h.rating.value);
    bump(hourly, hour, "positive_ratings", h.rating.value >= 4 ? 1 : 0);
    bump(hourly, hour, "negative_ratings", h.rating.value <= 2 ? 1 : 0);
  }
  for (const refund of h.refunds) bump(hourly, hourOf(refund.at), "refunds", refund.amount);
  if (h.deliveredAt !== null) {
    // Payout accrues at delivery; each refund is deducted at the later of refund and delivery.
    const commission = commissionOf(value, placed.commission_bps);
    const deliveredHour = hourOf(h.deliveredAt);
    bump(hourly, deliveredHour, "payout_accrued", value - commission - placed.fee);
    bump(hourly, deliveredHour, "commission", commission);
    bump(hourly, deliveredHour, "fees", placed.fee);
    for (const refund of h.refunds) {
      const hour = Math.max(deliveredHour, hourOf(refund.at));
      bump(hourly, hour, "payout_accrued", -refund.amount);
      bump(hourly, hour, "refunds_deducted", refund.amount);
    }
  }
  return hourly;
}

/**
 * An order's value is split over its items' categories; its count goes to the category of its
 * largest line (quantity × unit_price, the first such on a tie). The channel and the region get
 * both whole.
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
    visits: 0,
  }));
  cells.push({ hour, by: "channel", key: placed.channel, gmv, orders: 1, visits: 0 });
  cells.push({ hour, by: "region", key: placed.region, gmv, orders: 1, visits: 0 });
  return cells;
}

function productsOf(placed: OrderPlaced, hour: number): ProductCell[] {
  const byProduct = new Map<string, ProductCell>();
  for (const item of placed.items) {
    const cell = byProduct.get(item.product_id) ?? {
      hour,
      product_id: item.product_id,
      category: item.category,
      orders: 1,
      units: 0,
      revenue: 0,
    };
    cell.units += item.quantity;
    cell.revenue += item.quantity * item.unit_price;
    byProduct.set(item.product_id, cell);
  }
  return [...byProduct.values()];
}
