/**
 * Thresholds as the API reads and writes them (`{ sla_compliance: { min, min_shipped }, ... }`),
 * one zod schema for the body and the answer, and what a change changed, in words, for the audit
 * log. Pure: the route, the admin command and the console's tests share it.
 */
import { z } from "zod";
import type { Thresholds } from "./thresholds.ts";

const rate = z.number().min(0).max(1);
const count = z.int().min(1).max(10_000);

export const thresholdsWireSchema = z.strictObject({
  sla_compliance: z.strictObject({
    min: rate.describe("threshold.sla_compliance: trailing-7-day SLA compliance below this…"),
    min_shipped: count.describe("…with at least this many orders shipped in those 7 days"),
  }),
  seller_cancellation_rate: z.strictObject({
    max: rate.describe("threshold.cancellation_rate: trailing-7-day seller cancellation rate above this…"),
    min_orders: count.describe("…with at least this many orders placed in those 7 days"),
  }),
  avg_rating: z.strictObject({
    min: z.number().min(1).max(5).describe("threshold.avg_rating: trailing-30-day average rating below this…"),
    min_ratings: count.describe("…with at least this many ratings in those 30 days"),
  }),
});
export type ThresholdsWire = z.infer<typeof thresholdsWireSchema>;

export const toWire = (t: Thresholds): ThresholdsWire => ({
  sla_compliance: { min: t.slaComplianceMin, min_shipped: t.minShipped },
  seller_cancellation_rate: { max: t.sellerCancellationRateMax, min_orders: t.minOrders },
  avg_rating: { min: t.avgRatingMin, min_ratings: t.minRatings },
});

export const fromWire = (w: ThresholdsWire): Thresholds => ({
  slaComplianceMin: w.sla_compliance.min,
  minShipped: w.sla_compliance.min_shipped,
  sellerCancellationRateMax: w.seller_cancellation_rate.max,
  minOrders: w.seller_cancellation_rate.min_orders,
  avgRatingMin: w.avg_rating.min,
  minRatings: w.avg_rating.min_ratings,
});

/** "sla_compliance.min 0.95 → 0.9; avg_rating.min_ratings 20 → 10", or "unchanged". */
export function describeChanges(before: Thresholds, after: Thresholds): string {
  const [was, now] = [toWire(before), toWire(after)];
  const changes: string[] = [];
  for (const [group, fields] of Object.entries(now) as [keyof ThresholdsWire, Record<string, number>][]) {
    for (const [field, value] of Object.entries(fields)) {
      const previous = (was[group] as Record<string, number>)[field];
      if (previous !== value) changes.push(`${group}.${field} ${previous} → ${value}`);
    }
  }
  return changes.length === 0 ? "unchanged" : changes.join("; ");
}
