/**
 * The platform at a glance, as pure functions over D1's hourly rollups: which hours a period and
 * the period before it cover, and the figures of each (the seller summary's definitions over the
 * platform's sums), with the trend's buckets every one present, zeros included.
 */
import { type Counters, emptyCounters, HOUR_MS } from "../metrics/counters.ts";
import { periodOf, periodStarts, previousHours } from "../metrics/summary.ts";

export const OVERVIEW_PERIODS = ["today", "7d", "30d"] as const;
export type OverviewPeriod = (typeof OVERVIEW_PERIODS)[number];

/** The epoch hours [from, to) of the period and of the one it is compared with, and the trend's bucket. */
export interface Spans {
  current: [from: number, to: number];
  previous: [from: number, to: number];
  /** Hours per trend bucket: 1 (today, hourly) or 24 (daily). */
  bucketHours: 1 | 24;
}

/**
 * Today runs from midnight to the end of the current hour and is compared with the same hours of
 * yesterday; 7 and 30 days (today and the days before it) with the 7 and 30 days before them.
 */
export function spansOf(period: OverviewPeriod, nowMs: number): Spans {
  const nowHour = Math.floor(nowMs / HOUR_MS);
  return {
    current: [periodStarts(nowMs)[period], nowHour + 1],
    previous: previousHours(nowMs)[period],
    bucketHours: period === "today" ? 1 : 24,
  };
}

/** The sums the overview reads of one span (counters it does not show are left out). */
export type SpanSums = Pick<
  Counters,
  | "gmv"
  | "orders"
  | "accepted"
  | "rejected"
  | "cancelled"
  | "shipped"
  | "shipped_on_time"
  | "ratings"
  | "rating_sum"
  | "visits"
> & { sellers_active: number };

export interface OverviewFigures {
  from: string;
  to: string;
  sellers_active: number;
  gmv: number;
  orders: number;
  acceptance_rate: number | null;
  cancellation_rate: number | null;
  sla_compliance: number | null;
  avg_rating: number | null;
  conversion_rate: number | null;
}

const iso = (hour: number) => new Date(hour * HOUR_MS).toISOString();

/** A span's figures: the summary's definitions, applied to the platform's sums. */
export function figuresOf(sums: SpanSums | undefined, [from, to]: [number, number]): OverviewFigures {
  const p = periodOf({ ...emptyCounters(), ...sums });
  return {
    from: iso(from),
    to: iso(to),
    sellers_active: sums?.sellers_active ?? 0,
    gmv: p.gmv,
    orders: p.orders,
    acceptance_rate: p.acceptance_rate,
    cancellation_rate: p.cancellation_rate,
    sla_compliance: p.sla_compliance,
    avg_rating: p.avg_rating,
    conversion_rate: p.conversion_rate,
  };
}

/** Every bucket of the span from its first hour, those without a row as zeros. */
export function trendOf(
  rows: readonly { bucket: number; gmv: number; orders: number }[],
  spans: Spans,
): { t: string; gmv: number; orders: number }[] {
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  const [from, to] = spans.current;
  const first = Math.floor(from / spans.bucketHours);
  const last = Math.ceil(to / spans.bucketHours);
  return Array.from({ length: last - first }, (_, i) => {
    const bucket = first + i;
    const row = byBucket.get(bucket);
    return { t: iso(bucket * spans.bucketHours), gmv: row?.gmv ?? 0, orders: row?.orders ?? 0 };
  });
}
