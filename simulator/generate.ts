/**
 * The simulator: realistic, seeded traffic for one platform. Stores of Pareto-distributed size
 * (a few large, many small), each with its own categories, products (a few best sellers, a
 * long tail), regions, traffic sources, SLA and quality; orders through a diurnal and weekly
 * rhythm; lifecycles with acceptance, rejection, cancellation by buyer, seller or platform,
 * on-time and late shipment, delivery, partial and full refunds, ratings (some revised);
 * storefront visits; daily payouts of the balance each store has accrued.
 *
 * Pure and fast: no Node or Workers imports, no clock, no Math.random, so the demo
 * (`npm start`), the benchmarks and the tests in workerd all draw the same events for a seed.
 * Every store-hour has its own random stream, so two histories of one seed agree, event for
 * event and id for id, on the hours they share (payouts aside: they pay what the history's
 * own orders accrued).
 */
import type { Channel, SellerEventInput } from "../src/events/schema.ts";
import { commissionOf } from "../src/ledger/money.ts";
import { cumulative, mixSeed, type Random, random } from "./random.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Price bands in cents (log-uniform between them): a phone costs more than a paperback. */
const CATEGORIES = {
  electronics: [1_500, 120_000],
  fashion: [1_200, 25_000],
  home: [800, 40_000],
  beauty: [500, 9_000],
  toys: [700, 15_000],
  sports: [1_000, 50_000],
  books: [400, 6_000],
  grocery: [200, 4_000],
} as const;
type Category = keyof typeof CATEGORIES;
const CATEGORY_NAMES = Object.keys(CATEGORIES) as Category[];

const REGIONS = ["us-east", "us-west", "eu-west", "eu-central", "uk", "apac", "latam"] as const;
const REGION_WEIGHTS = [26, 18, 18, 10, 10, 12, 6];
const CHANNEL_WEIGHTS: readonly (readonly [Channel, number])[] = [
  ["search", 35],
  ["ads", 20],
  ["social", 15],
  ["email", 8],
  ["direct", 17],
  ["other", 5],
];
const CANCELLED_BY = [
  ["buyer", 60],
  ["seller", 25],
  ["platform", 15],
] as const;
const CANCEL_REASONS = {
  buyer: ["changed mind", "found it cheaper", "ordered by mistake"],
  seller: ["out of stock", "cannot ship in time"],
  platform: ["payment failed", "suspected fraud"],
} as const;
const REJECT_REASONS = ["out of stock", "cannot ship to region", "price error"] as const;
/** Happy buyers rate well; a late or refunded order much less so. */
const RATINGS_HAPPY = [
  [5, 58],
  [4, 26],
  [3, 8],
  [2, 3],
  [1, 5],
] as const;
const RATINGS_UNHAPPY = [
  [5, 15],
  [4, 20],
  [3, 20],
  [2, 17],
  [1, 28],
] as const;

/**
 * `new Date(ms).toISOString()`, several times faster: the date part is computed once per day.
 * (Formatting timestamps is a good part of generating millions of events.)
 */
let isoDay = NaN;
let isoDate = "";
export function isoTime(ms: number): string {
  const day = Math.floor(ms / DAY);
  if (day !== isoDay) {
    isoDay = day;
    isoDate = new Date(day * DAY).toISOString().slice(0, 11);
  }
  const t = ms - day * DAY;
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${isoDate}${pad(Math.floor(t / HOUR), 2)}:${pad(Math.floor(t / MINUTE) % 60, 2)}:${pad(Math.floor(t / 1000) % 60, 2)}.${pad(t % 1000, 3)}Z`;
}

/** The live demo compresses lifecycles this much, so shipments follow orders within minutes. */
const LIVE_SPEEDUP = 30;

interface Product {
  id: string;
  category: string;
  price: number;
}

export interface Store {
  id: string;
  /** Position among the platform's stores; seeds the store's random streams. */
  index: number;
  ordersPerDay: number;
  /** Best sellers first; `popularity` holds their cumulative (Zipf) weights. */
  products: Product[];
  popularity: number[];
  regions: number[];
  channels: number[];
  shipWithinHours: number;
  commissionBps: number;
  /** Mean minutes to accept or reject an order. */
  acceptMinutes: number;
  /** Store quality: how often it rejects, cancels and ships late, and how visitors convert. */
  rejectRate: number;
  cancelRate: number;
  lateRate: number;
  conversion: number;
}

export interface StoreOptions {
  seed: number;
  sellers: number;
  /** All stores together; default 20 orders a day per store. */
  ordersPerDay?: number;
  /** Share of all orders that go to the first store (the hot seller), if any. */
  hotShare?: number;
  /** Prefix of seller ids; default "s" (sellers s-1 … s-N). */
  prefix?: string;
}

/**
 * The platform's stores. Sizes follow a Pareto law (alpha 1.16: the "80/20" one); a store's
 * traits come from its own stream, so the first stores of 36 are the first stores of 10,000.
 */
export function makeStores(options: StoreOptions): Store[] {
  const total = options.ordersPerDay ?? options.sellers * 20;
  const rngs = Array.from({ length: options.sellers }, (_, i) => random(mixSeed(options.seed, 0x570e, i)));
  const weights = rngs.map((rng) => Math.min(rng.pareto(1.16, 1), 5_000));
  if (options.hotShare !== undefined && !(options.hotShare >= 0 && options.hotShare < 1))
    throw new RangeError("hotShare is a share in [0, 1)");
  if (options.hotShare !== undefined && options.sellers > 1) {
    const rest = weights.slice(1).reduce((a, b) => a + b, 0);
    weights[0] = (rest * options.hotShare) / (1 - options.hotShare);
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  return rngs.map((rng, i) => {
    const ordersPerDay = (total * weights[i]!) / weightSum;
    const categories = Array.from(
      {
        length: rng.weighted([
          [1, 50],
          [2, 35],
          [3, 15],
        ] as const),
      },
      () => rng.pick(CATEGORY_NAMES),
    );
    // Bigger stores list more products; popularity falls off as 1/rank.
    const productCount = 4 + Math.min(300, Math.floor(3 * Math.sqrt(ordersPerDay) + rng.int(0, 8)));
    const products = Array.from({ length: productCount }, (_, p) => {
      const category = rng.pick(categories);
      const [low, high] = CATEGORIES[category];
      const cents = low * (high / low) ** rng.next();
      return {
        id: `p-${options.prefix ?? "s"}${i + 1}-${p + 1}`,
        category,
        price: Math.max(99, Math.round(cents / 100) * 100 - 1),
      };
    });
    const home = rng.int(0, REGIONS.length - 1);
    const mainChannel = rng.int(0, CHANNEL_WEIGHTS.length - 1);
    return {
      id: `${options.prefix ?? "s"}-${i + 1}`,
      index: i,
      ordersPerDay,
      products,
      popularity: cumulative(products.map((_, rank) => 1 / (rank + 1))),
      regions: cumulative(REGION_WEIGHTS.map((w, r) => (r === home ? w * 4 : w))),
      channels: cumulative(CHANNEL_WEIGHTS.map(([, w], c) => (c === mainChannel ? w * 3 : w))),
      shipWithinHours: rng.weighted([
        [24, 40],
        [48, 45],
        [72, 15],
      ] as const),
      commissionBps: rng.int(6, 20) * 100 + rng.pick([0, 0, 50]),
      acceptMinutes: rng.pick([5, 15, 30, 60]),
      rejectRate: rng.pick([0.01, 0.03, 0.06]),
      cancelRate: rng.pick([0.02, 0.04, 0.08]),
      lateRate: rng.pick([0.02, 0.05, 0.1, 0.25]),
      conversion: rng.pick([0.02, 0.03, 0.05]),
    };
  });
}

/** Relative order rate at an hour of the (UTC) day: quiet at night, busiest in the evening. */
function diurnal(hourOfDay: number): number {
  return 1 + 0.7 * Math.sin((2 * Math.PI * (hourOfDay - 13)) / 24);
}

/** Relative order rate on a day of the week (0 is Sunday): weekends sell a little more. */
function weekly(dayOfWeek: number): number {
  return dayOfWeek === 0 || dayOfWeek === 6 ? 1.15 : 0.94;
}

/** The events of an order's lifecycle, and what each carries beyond the common fields. */
type OrderStep = Exclude<SellerEventInput["type"], "storefront.visits" | "payout.paid">;
type StepFields<T extends OrderStep> = Omit<
  Extract<SellerEventInput, { type: T }>,
  "event_id" | "type" | "occurred_at" | "seller_id" | "order_id"
>;

/** An event and its time in epoch ms (so that sorting never parses a timestamp). */
interface Timed {
  ms: number;
  event: SellerEventInput;
}

interface SimulatedOrder {
  /** Every event of the order; the later ones may lie in the future. */
  events: Timed[];
  /** What the order adds to the store's payout balance, and when: [epoch ms, minor units]. */
  accruals: [number, number][];
}

/**
 * One order placed at `placedMs` and everything that then happens to it. Lifecycle delays are
 * divided by `speedup` (the live demo), except a late shipment's: lateness is judged against
 * the SLA in real hours. Steps never contradict each other (no acceptance after a
 * cancellation, no shipment before an acceptance), so none is ignored by the ledger.
 */
function simulateOrder(rng: Random, store: Store, orderId: string, placedMs: number, speedup = 1): SimulatedOrder {
  const events: Timed[] = [];
  const accruals: [number, number][] = [];
  // One event of the order at `ms`, with the fields its type needs beyond the common ones.
  const emit = <T extends OrderStep>(
    type: T,
    ms: number,
    name: string,
    ...extra: Partial<StepFields<T>> extends StepFields<T> ? [] : [StepFields<T>]
  ) => {
    const event = {
      event_id: `${orderId}:${name}`,
      type,
      occurred_at: isoTime(Math.round(ms)),
      seller_id: store.id,
      order_id: orderId,
    };
    events.push({ ms: Math.round(ms), event: (extra[0] ? Object.assign(event, extra[0]) : event) as SellerEventInput });
  };
  // Every step at least a second after the one it follows, so that no two steps of an order
  // share a timestamp (the ledger would order them by event_id: "accepted" before "placed").
  const after = (ms: number, delay: number) => ms + Math.max(1000, delay / speedup);

  const items: { product_id: string; category: string; quantity: number; unit_price: number }[] = [];
  const lineCount = rng.weighted([
    [1, 68],
    [2, 20],
    [3, 8],
    [5, 4],
  ] as const);
  for (let i = 0; i < lineCount; i++) {
    const product = store.products[rng.index(store.popularity)]!;
    const quantity = rng.weighted([
      [1, 80],
      [2, 14],
      [3, 4],
      [6, 2],
    ] as const);
    // The same product picked twice is one line with a larger quantity.
    const line = items.find((item) => item.product_id === product.id);
    if (line) line.quantity += quantity;
    else items.push({ product_id: product.id, category: product.category, quantity, unit_price: product.price });
  }
  const value = items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0);
  const fee = rng.chance(0.4) ? rng.int(25, 99) : 0;
  emit("order.placed", placedMs, "placed", {
    currency: "USD",
    items,
    commission_bps: store.commissionBps,
    fee,
    region: REGIONS[rng.index(store.regions)]!,
    channel: CHANNEL_WEIGHTS[rng.index(store.channels)]![0],
    ship_within_hours: store.shipWithinHours,
  });

  const decidedAt = after(placedMs, rng.exponential(store.acceptMinutes * MINUTE));
  if (rng.chance(store.rejectRate)) {
    emit("order.rejected", decidedAt, "rejected", { reason: rng.pick(REJECT_REASONS) });
    return { events, accruals };
  }
  // A few sellers skip the explicit acceptance: their shipment counts as one.
  const explicitAcceptance = rng.chance(0.97);

  if (rng.chance(store.cancelRate)) {
    const by = rng.weighted(CANCELLED_BY);
    const cancelledAt =
      by === "buyer"
        ? after(placedMs, rng.exponential(3 * HOUR))
        : by === "seller"
          ? after(decidedAt, rng.exponential(4 * HOUR))
          : after(placedMs, rng.exponential(30 * MINUTE));
    if (explicitAcceptance && decidedAt < cancelledAt) emit("order.accepted", decidedAt, "accepted");
    emit("order.cancelled", cancelledAt, "cancelled", { reason: rng.pick(CANCEL_REASONS[by]), by });
    return { events, accruals };
  }
  if (explicitAcceptance) emit("order.accepted", decidedAt, "accepted");

  const sla = store.shipWithinHours * HOUR;
  const late = rng.chance(store.lateRate);
  const onTimeBy = placedMs + sla / speedup;
  const shippedAt = late
    ? Math.max(placedMs + sla * (1.02 + 0.8 * rng.next()), decidedAt + 1000)
    : decidedAt + Math.max(1000, (onTimeBy - decidedAt) * (0.05 + 0.9 * rng.next()));
  emit("order.shipped", shippedAt, "shipped");
  const deliveredAt = after(shippedAt, rng.int(18, 120) * HOUR);
  emit("order.delivered", deliveredAt, "delivered");
  accruals.push([Math.round(deliveredAt), value - commissionOf(value, store.commissionBps) - fee]);

  let refunded = 0;
  if (rng.chance(0.06)) {
    const full = rng.chance(0.2);
    const refundAt = after(deliveredAt, rng.int(4, 144) * HOUR);
    refunded = full ? value : Math.max(1, Math.round(value * (0.1 + 0.4 * rng.next())));
    emit("order.refunded", refundAt, "refund-1", { refund_id: `${orderId}:r1`, amount: refunded });
    accruals.push([Math.round(refundAt), -refunded]);
    if (!full && value - refunded >= 2 && rng.chance(0.2)) {
      // A second partial refund, never beyond what is left of the order's value.
      const amount = Math.max(1, Math.round((value - refunded) * (0.2 + 0.4 * rng.next())));
      const secondAt = after(refundAt, rng.int(12, 72) * HOUR);
      emit("order.refunded", secondAt, "refund-2", { refund_id: `${orderId}:r2`, amount });
      accruals.push([Math.round(secondAt), -amount]);
      refunded += amount;
    }
  }
  if (rng.chance(late || refunded > 0 ? 0.55 : 0.4)) {
    const scale = late || refunded > 0 ? RATINGS_UNHAPPY : RATINGS_HAPPY;
    const ratedAt = after(deliveredAt, rng.int(2, 96) * HOUR);
    emit("rating.submitted", ratedAt, "rating-1", { rating: rng.weighted(scale) });
    if (rng.chance(0.05)) {
      // A revised rating replaces the first one.
      const revisedAt = after(ratedAt, rng.int(6, 72) * HOUR);
      emit("rating.submitted", revisedAt, "rating-2", { rating: rng.weighted(scale) });
    }
  }
  return { events, accruals };
}

export interface HistoryOptions extends StoreOptions {
  days: number;
  endMs: number;
  /** One storefront.visits event per store every this many hours; default 3. */
  visitEveryHours?: number;
}

export interface Timeline {
  /** What happened up to `endMs`, in occurred_at order: the history. */
  past: SellerEventInput[];
  /** The later steps of the history's orders, in occurred_at order (for `trickle`'s `scheduled`). */
  future: SellerEventInput[];
}

/** A period's events for every store, in occurred_at order; nothing after `endMs`. */
export function history(options: HistoryOptions): SellerEventInput[] {
  return timeline(options).past;
}

/**
 * The orders of the `days` before `endMs` (from the start of that hour), their lifecycles,
 * visits, and a payout each day at 06:00 UTC of what the store accrued up to midnight.
 */
export function timeline(options: HistoryOptions): Timeline {
  const stores = makeStores(options);
  const firstHour = Math.floor((options.endMs - options.days * DAY) / HOUR);
  const visitEvery = Math.max(1, Math.floor(options.visitEveryHours ?? 3));
  const timed: Timed[] = [];

  for (const store of stores) {
    const accruals: [number, number][] = [];
    for (let hour = firstHour; hour * HOUR < options.endMs; hour++) {
      const hourMs = hour * HOUR;
      const rng = random(mixSeed(options.seed, store.index, hour));
      const rate = (store.ordersPerDay / 24) * diurnal(hour % 24) * weekly((Math.floor(hour / 24) + 4) % 7);
      const count = rng.poisson(rate);
      for (let i = 1; i <= count; i++) {
        const placedMs = hourMs + Math.floor(rng.next() * HOUR);
        const order = simulateOrder(rng, store, `o-${options.seed}-${store.id}-${hour}-${i}`, placedMs);
        for (const t of order.events) timed.push(t);
        for (const a of order.accruals) accruals.push(a);
      }
      if (hour % visitEvery === 0) {
        const event: SellerEventInput = {
          event_id: `v-${options.seed}-${store.id}-${hour}`,
          type: "storefront.visits",
          occurred_at: isoTime(hourMs),
          seller_id: store.id,
          channel: CHANNEL_WEIGHTS[rng.index(store.channels)]![0],
          visits: rng.poisson((rate * visitEvery) / store.conversion),
        };
        timed.push({ ms: hourMs, event });
      }
    }
    payouts(options, store, accruals, firstHour * HOUR, timed);
  }

  const sorted = sortByTime(timed);
  let split = sorted.length;
  while (split > 0 && sorted[split - 1]!.ms > options.endMs) split--;
  return { past: sorted.slice(0, split).map((t) => t.event), future: sorted.slice(split).map((t) => t.event) };
}

/** A stable sort by time: by hour into buckets, then each small bucket (millions stay fast). */
function sortByTime(timed: Timed[]): Timed[] {
  if (timed.length === 0) return timed;
  let first = Infinity;
  let last = -Infinity;
  for (const t of timed) {
    first = Math.min(first, t.ms);
    last = Math.max(last, t.ms);
  }
  const base = Math.floor(first / HOUR);
  const buckets: Timed[][] = Array.from({ length: Math.floor(last / HOUR) - base + 1 }, () => []);
  for (const t of timed) buckets[Math.floor(t.ms / HOUR) - base]!.push(t);
  const sorted: Timed[] = [];
  for (const bucket of buckets) {
    bucket.sort((a, b) => a.ms - b.ms);
    for (const t of bucket) sorted.push(t);
  }
  return sorted;
}

/** Daily at 06:00 UTC, the platform pays the balance the store accrued before midnight. */
function payouts(
  options: HistoryOptions,
  store: Store,
  accruals: [number, number][],
  startMs: number,
  into: Timed[],
): void {
  accruals.sort((a, b) => a[0] - b[0]);
  let accrued = 0;
  let paid = 0;
  let next = 0;
  for (let day = Math.ceil((startMs - 6 * HOUR) / DAY); day * DAY + 6 * HOUR <= options.endMs; day++) {
    while (next < accruals.length && accruals[next]![0] < day * DAY) accrued += accruals[next++]![1];
    if (accrued - paid <= 0) continue;
    const ms = day * DAY + 6 * HOUR;
    const payoutId = `po-${options.seed}-${store.id}-${day}`;
    const event: SellerEventInput = {
      event_id: payoutId,
      type: "payout.paid",
      occurred_at: isoTime(ms),
      seller_id: store.id,
      payout_id: payoutId,
      currency: "USD",
      amount: accrued - paid,
    };
    into.push({ ms, event });
    paid = accrued;
  }
}

export interface TrickleOptions extends StoreOptions {
  startMs: number;
  ordersPerMinute: number;
  /** Events to release as they fall due: typically `timeline(...).future`. */
  scheduled?: readonly SellerEventInput[];
}

export interface Trickle {
  /** The events that happened since the last call: new orders, steps of earlier ones, visits. */
  next(nowMs: number): SellerEventInput[];
}

/**
 * Live traffic for the demo (and a steady load): new orders at `ordersPerMinute` across the
 * stores (weighted by size), their lifecycles compressed 30-fold so that acceptances,
 * shipments and ratings follow within minutes, and the visits that led to them.
 */
export function trickle(options: TrickleOptions): Trickle {
  const rng = random(mixSeed(options.seed, 0x71c, options.startMs));
  const stores = makeStores(options);
  const bySize = cumulative(stores.map((s) => s.ordersPerDay));
  const run = `live-${options.seed}-${options.startMs}`;
  let pending: Timed[] = (options.scheduled ?? []).map((event) => ({ ms: Date.parse(event.occurred_at), event }));
  const visits = new Map<Store, number>();
  let lastMs = options.startMs;
  let orders = 0;
  let visitEvents = 0;
  return {
    next(nowMs) {
      const due: SellerEventInput[] = [];
      if (nowMs > lastMs) {
        const count = rng.poisson(((nowMs - lastMs) / MINUTE) * options.ordersPerMinute);
        for (let i = 0; i < count; i++) {
          const store = stores[rng.index(bySize)]!;
          const placedMs = lastMs + Math.floor(rng.next() * (nowMs - lastMs));
          const order = simulateOrder(rng, store, `${run}-${++orders}`, placedMs, LIVE_SPEEDUP);
          pending.push(...order.events);
          visits.set(store, (visits.get(store) ?? 0) + (0.5 + rng.next()) / store.conversion);
        }
        for (const [store, count] of visits) {
          if (count < 1) continue;
          due.push({
            event_id: `${run}-v${++visitEvents}`,
            type: "storefront.visits",
            occurred_at: isoTime(nowMs),
            seller_id: store.id,
            channel: CHANNEL_WEIGHTS[rng.index(store.channels)]![0],
            visits: Math.floor(count),
          });
          visits.set(store, count - Math.floor(count));
        }
        lastMs = nowMs;
      }
      pending.sort((a, b) => a.ms - b.ms);
      let split = 0;
      while (split < pending.length && pending[split]!.ms <= nowMs) due.push(pending[split++]!.event);
      pending = pending.slice(split);
      return due;
    },
  };
}
