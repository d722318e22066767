/**
 * The simulator: realistic, seeded traffic for one platform. Stores of Pareto-distributed size
 * (a few large, many small), each with its own categories, products (a few best sellers, a
 * long tail), regions, traffic sources, SLA and quality; orders through a diurnal and weekly
 * rhythm; lifecycles with acceptance, rejection, cancellation by buyer, seller or platform,
 * on-time and late shipment, delivery, partial and full refunds, ratings (some revised);
 * storefront visits; daily payouts of the balance each store has accrued. This file lays the
 * stores' orders, visits and payouts out in time; the stores are drawn in stores.ts and each
 * order's lifecycle in order-life.ts.
 *
 * Pure and fast: no Node or Workers imports, no clock, no Math.random, so the demo
 * (`npm start`), the benchmarks and the tests in workerd all draw the same events for a seed.
 * Every store-hour has its own random stream, so two histories of one seed agree, event for
 * event and id for id, on the hours they share (payouts aside: they pay what the history's
 * own orders accrued).
 */
import type { SellerEventInput } from "../src/events/schema.ts";
import { DAY, HOUR, isoTime, MINUTE } from "./clock.ts";
import { simulateOrder, type Timed } from "./order-life.ts";
import { cumulative, mixSeed, random } from "./random.ts";
import { CHANNEL_WEIGHTS, makeStores, type Store, type StoreOptions } from "./stores.ts";

export { isoTime } from "./clock.ts";
export { makeStores } from "./stores.ts";

/** The live demo compresses lifecycles this much, so shipments follow orders within minutes. */
const LIVE_SPEEDUP = 30;

/** Relative order rate at an hour of the (UTC) day: quiet at night, busiest in the evening. */
function diurnal(hourOfDay: number): number {
  return 1 + 0.7 * Math.sin((2 * Math.PI * (hourOfDay - 13)) / 24);
}

/** Relative order rate on a day of the week (0 is Sunday): weekends sell a little more. */
function weekly(dayOfWeek: number): number {
  return dayOfWeek === 0 || dayOfWeek === 6 ? 1.15 : 0.94;
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
