/**
 * The simulator: realistic, seeded traffic for one platform. Stores of Pareto-distributed size
 * (a few large, many small), each with its own categories, products, SLA and quality; orders
 * through a diurnal day; lifecycles with acceptance, rejection, cancellation, on-time and late
 * shipment, delivery, partial and full refunds, ratings; storefront visits and weekly payouts.
 *
 * Pure: no Node or Workers imports, so the demo (`npm start`), the benchmarks and the tests in
 * the Workers runtime all use it. The same seed gives the same events, ids included.
 */
import type { Channel, SellerEventInput } from "../../src/events/schema.ts";
import { random, type Random } from "./random.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const CATEGORIES = ["electronics", "fashion", "home", "beauty", "toys", "sports", "books", "grocery"] as const;
const REGIONS = [["us-east", 30], ["us-west", 20], ["eu", 25], ["uk", 10], ["apac", 15]] as const;
const CHANNELS: readonly (readonly [Channel, number])[] = [
  ["search", 35], ["ads", 20], ["social", 15], ["email", 10], ["direct", 15], ["other", 5],
];
const RATINGS = [[5, 50], [4, 25], [3, 10], [2, 7], [1, 8]] as const;
const CANCELLED_BY = [["buyer", 60], ["seller", 25], ["platform", 15]] as const;

export interface Product {
  id: string;
  category: string;
  price: number;
}

export interface Store {
  id: string;
  ordersPerDay: number;
  products: Product[];
  shipWithinHours: number;
  commissionBps: number;
  /** Store quality: how often it ships late, cancels, and how visitors convert. */
  lateRate: number;
  cancelRate: number;
  conversion: number;
}

export interface StoreOptions {
  seed: number;
  sellers: number;
  /** All stores together; default 20 orders a day per store. */
  ordersPerDay?: number;
  /** Share of all orders that go to the first store (the hot seller), if any. */
  hotShare?: number;
  /** Prefix of seller ids; default "s". */
  prefix?: string;
}

export function makeStores(options: StoreOptions): Store[] {
  const rng = random(options.seed);
  const total = options.ordersPerDay ?? options.sellers * 20;
  const weights = Array.from({ length: options.sellers }, () => rng.pareto(1.2, 1));
  if (options.hotShare !== undefined && options.sellers > 1) {
    const rest = weights.slice(1).reduce((a, b) => a + b, 0);
    weights[0] = (rest * options.hotShare) / (1 - options.hotShare);
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight, i) => {
    const categories = Array.from({ length: rng.int(1, 3) }, () => rng.pick(CATEGORIES));
    return {
      id: `${options.prefix ?? "s"}-${i + 1}`,
      ordersPerDay: (total * weight) / weightSum,
      products: Array.from({ length: rng.int(5, 40) }, (_, p) => ({
        id: `p-${i + 1}-${p + 1}`,
        category: rng.pick(categories),
        price: rng.int(2, 400) * 100 - rng.pick([0, 1, 5, 10]),
      })),
      shipWithinHours: rng.pick([24, 48, 72]),
      commissionBps: rng.int(8, 20) * 100,
      lateRate: rng.pick([0.02, 0.05, 0.1, 0.25]),
      cancelRate: rng.pick([0.02, 0.04, 0.08]),
      conversion: rng.pick([0.02, 0.03, 0.05]),
    };
  });
}

/** Relative order rate at an hour of the (UTC) day: quiet at night, busiest in the evening. */
export function diurnal(hourOfDay: number): number {
  return 1 + 0.7 * Math.sin((2 * Math.PI * (hourOfDay - 13)) / 24);
}

interface Clock {
  /** Compresses lifecycle delays (1 = real time) for the live demo. */
  scale: number;
}

/** Every event of one order, placed at `placedMs`; later steps may lie in the future. */
export function orderLifecycle(rng: Random, store: Store, orderId: string, placedMs: number, clock: Clock = { scale: 1 }): SellerEventInput[] {
  const seller_id = store.id;
  const at = (ms: number) => new Date(Math.round(ms)).toISOString();
  const later = (ms: number) => placedMs + ms * clock.scale;
  const step = <T extends SellerEventInput["type"]>(type: T, ms: number, name = type.split(".")[1]!) => ({
    event_id: `${orderId}:${name}`,
    type,
    occurred_at: at(ms),
    seller_id,
    order_id: orderId,
  });
  const lines = Array.from({ length: rng.weighted([[1, 70], [2, 20], [3, 10]] as const) }, () => rng.pick(store.products));
  const items = lines.map((p) => ({ product_id: p.id, category: p.category, quantity: rng.weighted([[1, 80], [2, 15], [3, 5]] as const), unit_price: p.price }));
  const value = items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0);
  const events: SellerEventInput[] = [
    {
      ...step("order.placed", placedMs),
      currency: "USD",
      items,
      commission_bps: store.commissionBps,
      fee: rng.chance(0.5) ? rng.int(30, 99) : 0,
      region: rng.weighted(REGIONS),
      channel: rng.weighted(CHANNELS),
      ship_within_hours: store.shipWithinHours,
    },
  ];
  if (rng.chance(0.04)) {
    events.push({ ...step("order.rejected", later(rng.exponential(20 * MINUTE))), reason: "out of stock" });
    return events;
  }
  const acceptedAt = later(rng.exponential(15 * MINUTE));
  if (rng.chance(0.95)) events.push(step("order.accepted", acceptedAt));
  if (rng.chance(store.cancelRate)) {
    const by = rng.weighted(CANCELLED_BY);
    events.push({ ...step("order.cancelled", acceptedAt + rng.exponential(2 * HOUR) * clock.scale), reason: "cancelled", by });
    return events;
  }
  const sla = store.shipWithinHours * HOUR;
  const shipDelay = rng.chance(store.lateRate) ? sla * (1 + rng.next()) : sla * (0.05 + 0.85 * rng.next());
  // Lateness is judged against the SLA in real hours, so only the on-time part is compressed.
  const shippedAt = placedMs + (shipDelay > sla ? shipDelay : shipDelay * clock.scale);
  events.push(step("order.shipped", shippedAt));
  const deliveredAt = shippedAt + rng.int(20, 96) * HOUR * clock.scale;
  events.push(step("order.delivered", deliveredAt));
  if (rng.chance(0.07)) {
    const full = rng.chance(0.15);
    const amount = full ? value : Math.max(1, Math.round(value * (0.1 + 0.4 * rng.next())));
    const refundAt = deliveredAt + rng.int(1, 5) * DAY * clock.scale;
    events.push({ ...step("order.refunded", refundAt, "refund-1"), refund_id: `${orderId}:r1`, amount });
  }
  if (rng.chance(0.45)) {
    const ratedAt = deliveredAt + rng.int(2, 72) * HOUR * clock.scale;
    events.push({ ...step("rating.submitted", ratedAt, "rating-1"), rating: rng.weighted(RATINGS) });
    if (rng.chance(0.05)) {
      events.push({ ...step("rating.submitted", ratedAt + DAY * clock.scale, "rating-2"), rating: rng.weighted(RATINGS) });
    }
  }
  return events;
}

export interface HistoryOptions extends StoreOptions {
  days: number;
  endMs: number;
}

/** A period's events for every store, in occurred_at order; nothing after `endMs`. */
export function history(options: HistoryOptions): SellerEventInput[] {
  const rng = random(options.seed ^ 0x5eed);
  const stores = makeStores(options);
  const startMs = Math.floor((options.endMs - options.days * DAY) / HOUR) * HOUR;
  const events: SellerEventInput[] = [];
  const run = `${options.seed}`;
  stores.forEach((store, s) => {
    let orders = 0;
    for (let hourMs = startMs; hourMs < options.endMs; hourMs += HOUR) {
      const rate = (store.ordersPerDay / 24) * diurnal(new Date(hourMs).getUTCHours());
      const count = Math.floor(rate + rng.next());
      for (let i = 0; i < count; i++) {
        const placedMs = hourMs + rng.next() * HOUR;
        if (placedMs > options.endMs) continue;
        events.push(...orderLifecycle(rng, store, `o-${run}-${s + 1}-${++orders}`, placedMs));
      }
      if (new Date(hourMs).getUTCHours() % 3 === 0) {
        const visits = Math.round((rate * 3) / store.conversion * (0.8 + 0.4 * rng.next()));
        events.push({
          event_id: `v-${run}-${store.id}-${hourMs}`,
          type: "storefront.visits",
          occurred_at: new Date(hourMs).toISOString(),
          seller_id: store.id,
          channel: rng.weighted(CHANNELS),
          visits,
        });
      }
      if ((hourMs - startMs) % (7 * DAY) === 6 * DAY) {
        const averageOrder = store.products.reduce((sum, p) => sum + p.price, 0) / store.products.length;
        events.push({
          event_id: `po-${run}-${store.id}-${hourMs}`,
          type: "payout.paid",
          occurred_at: new Date(hourMs).toISOString(),
          seller_id: store.id,
          payout_id: `po-${run}-${store.id}-${hourMs}`,
          currency: "USD",
          amount: Math.max(1, Math.round(store.ordersPerDay * 7 * averageOrder * 0.3)),
        });
      }
    }
  });
  return events
    .filter((e) => Date.parse(e.occurred_at) <= options.endMs)
    .sort((a, b) => (a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0));
}

export interface Trickle {
  /** The events that happened since the last call (new orders, and steps of earlier ones). */
  next(nowMs: number): SellerEventInput[];
}

/**
 * Live traffic for the demo: new orders at `ordersPerMinute` across the stores (weighted by
 * size), and their lifecycles compressed 30-fold so that acceptances, shipments and ratings
 * follow within minutes.
 */
export function trickle(options: StoreOptions & { startMs: number; ordersPerMinute: number }): Trickle {
  const rng = random(options.seed ^ 0x71c);
  const stores = makeStores(options);
  const weights = stores.map((store) => [store, store.ordersPerDay] as const);
  let pending: SellerEventInput[] = [];
  let lastMs = options.startMs;
  let orders = 0;
  return {
    next(nowMs) {
      const expected = ((nowMs - lastMs) / MINUTE) * options.ordersPerMinute;
      const count = Math.floor(expected + rng.next());
      for (let i = 0; i < count; i++) {
        const placedMs = lastMs + rng.next() * (nowMs - lastMs);
        const store = rng.weighted(weights);
        pending.push(...orderLifecycle(rng, store, `live-${options.seed}-${options.startMs}-${++orders}`, placedMs, { scale: 1 / 30 }));
      }
      lastMs = nowMs;
      const due = pending.filter((e) => Date.parse(e.occurred_at) <= nowMs);
      pending = pending.filter((e) => Date.parse(e.occurred_at) > nowMs);
      return due;
    },
  };
}
