/**
 * The seller summary (docs/semantics.md, "The summary"), computed from hourly counters.
 * Periods are UTC calendar days: today, the 7 and 30 days ending today, and all time.
 * Rates are fractions, never rounded, and null when their divisor is 0. The summary's zod schema
 * is its one definition: the API documents and the code types it from the same object.
 */
import { z } from "@hono/zod-openapi";
import { type Counters, DAY_MS, emptyCounters, HOUR_MS, sumCounters } from "./counters.ts";

const count = z.int();
const money = z.int().describe("minor units (cents)");
const rate = z.number().nullable().describe("a fraction from 0 to 1; null when its divisor is 0");

const periodSchema = z
  .object({
    gmv: money,
    orders: count,
    accepted: count,
    rejected: count,
    cancelled: count,
    cancelled_by_seller: count,
    acceptance_rate: rate,
    cancellation_rate: rate,
    seller_cancellation_rate: rate,
    shipped: count,
    shipped_on_time: count,
    late_shipments: count,
    sla_compliance: rate,
    ratings: count,
    avg_rating: z.number().nullable(),
    positive_ratings: count,
    negative_ratings: count,
    visits: count,
    conversion_rate: z.number().nullable().describe("orders ÷ visits, not capped at 1"),
    refunds: money,
    payout_accrued: money,
    payout_paid: money,
  })
  .openapi("Period");

export const summarySchema = z
  .object({
    seller_id: z.string(),
    currency: z.string(),
    updated_at: z.string().nullable(),
    since: z.string().nullable().describe("the start of the first UTC hour with any figure; null with none"),
    periods: z.object({ today: periodSchema, "7d": periodSchema, "30d": periodSchema, all: periodSchema }),
    payout: z.object({ accrued: money, paid: money, pending: money, commission: money, fees: money, refunds: money }),
    open: z.object({ awaiting_acceptance: count, awaiting_shipment: count, overdue: count }),
    previous: z
      .object({ today: periodSchema, "7d": periodSchema, "30d": periodSchema })
      .optional()
      .describe(
        "with ?compare=previous: today's hours of yesterday (up to the current hour), and the 7 and 30 days before 7d and 30d",
      ),
  })
  .openapi("Summary");
export type Period = z.infer<typeof periodSchema>;
export type OpenOrders = Summary["open"];
export type Summary = z.infer<typeof summarySchema>;

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

export function periodOf(c: Counters): Period {
  return {
    gmv: c.gmv,
    orders: c.orders,
    accepted: c.accepted,
    rejected: c.rejected,
    cancelled: c.cancelled,
    cancelled_by_seller: c.cancelled_by_seller,
    acceptance_rate: ratio(c.accepted, c.accepted + c.rejected),
    cancellation_rate: ratio(c.cancelled, c.orders),
    seller_cancellation_rate: ratio(c.cancelled_by_seller, c.orders),
    shipped: c.shipped,
    shipped_on_time: c.shipped_on_time,
    late_shipments: c.shipped - c.shipped_on_time,
    sla_compliance: ratio(c.shipped_on_time, c.shipped),
    ratings: c.ratings,
    avg_rating: ratio(c.rating_sum, c.ratings),
    positive_ratings: c.positive_ratings,
    negative_ratings: c.negative_ratings,
    visits: c.visits,
    conversion_rate: ratio(c.orders, c.visits),
    refunds: c.refunds,
    payout_accrued: c.payout_accrued,
    payout_paid: c.payout_paid,
  };
}

/**
 * The periods a summary's are compared with (`?compare=previous`), as epoch-hour ranges [from,
 * to): today against the same hours of yesterday (up to the current hour), 7d and 30d against
 * the 7 and 30 days before them. Disjoint, so one statement sums all three.
 */
export function previousHours(nowMs: number): Record<"today" | "7d" | "30d", [from: number, to: number]> {
  const starts = periodStarts(nowMs);
  const nowHour = Math.floor(nowMs / HOUR_MS);
  return {
    today: [starts.today - 24, nowHour - 24 + 1],
    "7d": [starts["7d"] - 7 * 24, starts["7d"]],
    "30d": [starts["30d"] - 30 * 24, starts["30d"]],
  };
}

/** The first epoch hour of each period, for a clock reading. */
export function periodStarts(nowMs: number): { today: number; "7d": number; "30d": number } {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return {
    today: today / HOUR_MS,
    "7d": (today - 6 * DAY_MS) / HOUR_MS,
    "30d": (today - 29 * DAY_MS) / HOUR_MS,
  };
}

/**
 * When time alone next changes a summary: at the next UTC midnight the periods move, and an
 * accepted order becomes overdue the millisecond after its shipping deadline (`nextDeadline`:
 * the earliest deadline, at or after now, of the orders awaiting shipment; null if none).
 */
export function nextTimeChange(nowMs: number, nextDeadline: number | null): number {
  const midnight = (Math.floor(nowMs / DAY_MS) + 1) * DAY_MS;
  return nextDeadline === null ? midnight : Math.min(midnight, nextDeadline + 1);
}

type PeriodName = "today" | "7d" | "30d" | "all";
export type PeriodTotals = Record<PeriodName, Counters>;

/**
 * Which period an hour falls in first: 0 today, 1 the rest of the 7 days, 2 the rest of the
 * 30 days, 3 before. The periods nest, so a period's totals are the sum of its bucket and the
 * buckets before it (the ledger sums its rows per bucket in SQL, then adds them up here).
 */
const PERIOD_BUCKETS = ["today", "7d", "30d", "all"] as const satisfies readonly PeriodName[];

export function totalsFromBuckets(buckets: Iterable<[bucket: number, counters: Counters]>): PeriodTotals {
  const byBucket = new Map(buckets);
  const totals = {} as PeriodTotals;
  let running = emptyCounters();
  PERIOD_BUCKETS.forEach((name, i) => {
    const bucket = byBucket.get(i);
    running = bucket ? sumCounters([running, bucket]) : running;
    totals[name] = running;
  });
  return totals;
}

export function summarize(args: {
  sellerId: string;
  currency: string;
  updatedAt: string | null;
  firstHour: number | null;
  totals: PeriodTotals;
  open: OpenOrders;
}): Summary {
  const { totals } = args;
  const all = totals.all;
  return {
    seller_id: args.sellerId,
    currency: args.currency,
    updated_at: args.updatedAt,
    since: args.firstHour === null ? null : new Date(args.firstHour * HOUR_MS).toISOString(),
    periods: {
      today: periodOf(totals.today),
      "7d": periodOf(totals["7d"]),
      "30d": periodOf(totals["30d"]),
      all: periodOf(all),
    },
    payout: {
      accrued: all.payout_accrued,
      paid: all.payout_paid,
      pending: all.payout_accrued - all.payout_paid,
      commission: all.commission,
      fees: all.fees,
      refunds: all.refunds_deducted,
    },
    open: args.open,
  };
}
