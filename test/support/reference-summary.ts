/**
 * The summary as the pure ledger (src/ledger/fold.ts) gives it, which the Durable Object is held
 * to: the periods summed hour by hour in JavaScript, where the ledger sums them in SQL.
 */
import type { SellerEvent } from "../../src/events/schema.ts";
import { foldEvents } from "../../src/ledger/fold.ts";
import type { OrderStatus } from "../../src/ledger/order.ts";
import { COUNTER_FIELDS, type Counters, emptyCounters, sumCounters } from "../../src/metrics/counters.ts";
import {
  type OpenOrders,
  type PeriodTotals,
  periodStarts,
  type Summary,
  summarize,
  totalsFromBuckets,
} from "../../src/metrics/summary.ts";

/** The bucket of an hour, as the ledger's SQL computes it: 0 today, 1 the rest of 7d, 2 of 30d, 3 before. */
function bucketOf(hour: number, starts: ReturnType<typeof periodStarts>): number {
  if (hour >= starts.today) return 0;
  if (hour >= starts["7d"]) return 1;
  return hour >= starts["30d"] ? 2 : 3;
}

/** Sums hourly rows into the four periods, by bucket as the ledger does in SQL. */
export function periodTotals(rows: Iterable<[hour: number, counters: Counters]>, nowMs: number): PeriodTotals {
  const starts = periodStarts(nowMs);
  const buckets = new Map<number, Counters>();
  for (const [hour, counters] of rows) {
    const bucket = bucketOf(hour, starts);
    buckets.set(bucket, sumCounters([buckets.get(bucket) ?? emptyCounters(), counters]));
  }
  return totalsFromBuckets(buckets);
}

function openOrders(orders: Iterable<{ status: OrderStatus; deadline_ms: number | null }>, nowMs: number): OpenOrders {
  const open: OpenOrders = { awaiting_acceptance: 0, awaiting_shipment: 0, overdue: 0 };
  for (const order of orders) {
    if (order.status === "placed") open.awaiting_acceptance++;
    if (order.status === "accepted") {
      open.awaiting_shipment++;
      if (order.deadline_ms !== null && order.deadline_ms < nowMs) open.overdue++;
    }
  }
  return open;
}

/** The summary (updated_at null) the pure ledger gives for `events` at `nowMs`. */
export function foldedSummary(sellerId: string, events: SellerEvent[], nowMs: number): Summary {
  const { hourly, orders } = foldEvents(events);
  const figured = [...hourly].filter(([, c]) => COUNTER_FIELDS.some((f) => c[f] !== 0)).map(([hour]) => hour);
  return summarize({
    sellerId,
    currency: "USD",
    updatedAt: null,
    firstHour: figured.length === 0 ? null : Math.min(...figured),
    totals: periodTotals(hourly, nowMs),
    open: openOrders(orders.values(), nowMs),
  });
}
