/**
 * Threshold alerts on a seller's trailing periods, and the seller's health score: pure rules
 * over its summary, so the ledger and the tests apply the same ones. Defaults follow the common
 * marketplace account-health targets; a platform may set its own (D1, platform_thresholds).
 */
import type { Period } from "../metrics/summary.ts";

export interface Thresholds {
  /** threshold.sla_compliance: trailing-7-day sla_compliance below this, with at least minShipped shipped. */
  slaComplianceMin: number;
  minShipped: number;
  /** threshold.cancellation_rate: trailing-7-day seller_cancellation_rate above this, with at least minOrders orders. */
  sellerCancellationRateMax: number;
  minOrders: number;
  /** threshold.avg_rating: trailing-30-day avg_rating below this, with at least minRatings ratings. */
  avgRatingMin: number;
  minRatings: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  slaComplianceMin: 0.95,
  minShipped: 20,
  sellerCancellationRateMax: 0.025,
  minOrders: 20,
  avgRatingMin: 3.5,
  minRatings: 20,
};

export const THRESHOLD_TYPES = [
  "threshold.sla_compliance",
  "threshold.cancellation_rate",
  "threshold.avg_rating",
] as const;
export type ThresholdType = (typeof THRESHOLD_TYPES)[number];

/** For each threshold: whether it is crossed now, and what the alert says about it. */
export function thresholdsCrossed(
  p7: Period,
  p30: Period,
  t: Thresholds,
): { type: ThresholdType; crossed: boolean; details: Record<string, number | string | null> }[] {
  return [
    {
      type: "threshold.sla_compliance",
      crossed: p7.shipped >= t.minShipped && p7.sla_compliance !== null && p7.sla_compliance < t.slaComplianceMin,
      details: { period: "7d", value: p7.sla_compliance, threshold: t.slaComplianceMin, shipped: p7.shipped },
    },
    {
      type: "threshold.cancellation_rate",
      crossed:
        p7.orders >= t.minOrders &&
        p7.seller_cancellation_rate !== null &&
        p7.seller_cancellation_rate > t.sellerCancellationRateMax,
      details: {
        period: "7d",
        value: p7.seller_cancellation_rate,
        threshold: t.sellerCancellationRateMax,
        orders: p7.orders,
      },
    },
    {
      type: "threshold.avg_rating",
      crossed: p30.ratings >= t.minRatings && p30.avg_rating !== null && p30.avg_rating < t.avgRatingMin,
      details: { period: "30d", value: p30.avg_rating, threshold: t.avgRatingMin, ratings: p30.ratings },
    },
  ];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Health, 0 to 100, from the trailing 7 days: SLA compliance (weight 35; 85% scores 0, 99% full),
 * acceptance (25; 80% → 0, 98% → full), the seller's own cancellations (25; 5% → 0, 0.5% → full)
 * and the average rating (15; 3.0 → 0, 4.8 → full), each linear in between. A metric without a
 * value in the period (nothing shipped, no rating) leaves its weight to the others; with none at
 * all there is nothing to fault, and health is 100.
 */
export function healthOf(p7: Period): number {
  const parts: [weight: number, score: number | null][] = [
    [35, p7.sla_compliance === null ? null : clamp01((p7.sla_compliance - 0.85) / 0.14)],
    [25, p7.acceptance_rate === null ? null : clamp01((p7.acceptance_rate - 0.8) / 0.18)],
    [25, p7.seller_cancellation_rate === null ? null : clamp01((0.05 - p7.seller_cancellation_rate) / 0.045)],
    [15, p7.avg_rating === null ? null : clamp01((p7.avg_rating - 3) / 1.8)],
  ];
  const present = parts.filter((p): p is [number, number] => p[1] !== null);
  const weight = present.reduce((sum, [w]) => sum + w, 0);
  if (weight === 0) return 100;
  return Math.round((100 * present.reduce((sum, [w, s]) => sum + w * s, 0)) / weight);
}
