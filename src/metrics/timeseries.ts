/**
 * Timeseries and breakdown shapes over hourly counters. Buckets are UTC hours or days; the
 * buckets of a range are those starting in [from, to), every one present, zeros included.
 */

import { z } from "@hono/zod-openapi";
import { type CounterField, type Counters, DAY_MS, emptyCounters, HOUR_MS } from "./counters.ts";
import { type Period, periodOf } from "./summary.ts";

export type Granularity = "hour" | "day";
export type Metric = keyof Period;

/** Metrics a timeseries can chart: every count and money field of a period, and its rates. */
export const METRICS = Object.keys(periodOf(emptyCounters())) as Metric[];

/**
 * The counters each metric is derived from (periodOf), so that a timeseries reads only those:
 * a test checks that the metric comes out the same from them alone.
 */
export const METRIC_FIELDS: Record<Metric, readonly CounterField[]> = {
  gmv: ["gmv"],
  orders: ["orders"],
  accepted: ["accepted"],
  rejected: ["rejected"],
  cancelled: ["cancelled"],
  cancelled_by_seller: ["cancelled_by_seller"],
  acceptance_rate: ["accepted", "rejected"],
  cancellation_rate: ["cancelled", "orders"],
  seller_cancellation_rate: ["cancelled_by_seller", "orders"],
  shipped: ["shipped"],
  shipped_on_time: ["shipped_on_time"],
  late_shipments: ["shipped", "shipped_on_time"],
  sla_compliance: ["shipped_on_time", "shipped"],
  ratings: ["ratings"],
  avg_rating: ["rating_sum", "ratings"],
  positive_ratings: ["positive_ratings"],
  negative_ratings: ["negative_ratings"],
  visits: ["visits"],
  conversion_rate: ["orders", "visits"],
  refunds: ["refunds"],
  payout_accrued: ["payout_accrued"],
  payout_paid: ["payout_paid"],
};

const countSchema = z.int();
const moneySchema = z.int().describe("minor units (cents)");
const pointSchema = z.object({ t: z.string(), value: z.number().nullable() });
export type Point = z.infer<typeof pointSchema>;

export const timeseriesSchema = z
  .object({
    metric: z.string(),
    granularity: z.enum(["minute", "hour", "day"]),
    points: z.array(pointSchema),
  })
  .openapi("Timeseries");

export const breakdownSchema = z
  .object({
    by: z.enum(["category", "channel", "region"]),
    rows: z.array(
      z.object({
        key: z.string(),
        gmv: moneySchema,
        orders: countSchema,
        visits: countSchema.optional().describe("by channel only: the channel's visits"),
        conversion_rate: z
          .number()
          .nullable()
          .optional()
          .describe("by channel only: orders ÷ visits; null without visits"),
      }),
    ),
  })
  .openapi("Breakdown");
export type Breakdown = z.infer<typeof breakdownSchema>;

export const bucketMs = (granularity: Granularity): number => (granularity === "hour" ? HOUR_MS : DAY_MS);

/** The epoch-hour range [first, end) covering the buckets that start in [fromMs, toMs). */
export function hourRange(fromMs: number, toMs: number, granularity: Granularity): [number, number] {
  const size = bucketMs(granularity);
  const first = Math.ceil(fromMs / size) * size;
  const end = Math.max(first, Math.ceil(toMs / size) * size);
  return [first / HOUR_MS, end / HOUR_MS];
}

export function bucketCount(fromMs: number, toMs: number, granularity: Granularity): number {
  const [first, end] = hourRange(fromMs, toMs, granularity);
  return (end - first) / (bucketMs(granularity) / HOUR_MS);
}

/**
 * One point per bucket of the epoch hours [first, end), zeros included, from each bucket's
 * counters already summed (keyed by the bucket's first hour: the ledger's SQL sums them).
 */
export function pointsOf(
  sums: ReadonlyMap<number, Counters>,
  metric: Metric,
  [first, end]: [number, number],
  granularity: Granularity,
): Point[] {
  const points: Point[] = [];
  for (let bucket = first; bucket < end; bucket += bucketMs(granularity) / HOUR_MS) {
    const value = periodOf(sums.get(bucket) ?? emptyCounters())[metric];
    points.push({ t: new Date(bucket * HOUR_MS).toISOString(), value });
  }
  return points;
}
