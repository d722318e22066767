/**
 * A platform's thresholds: its own row in D1 (platform_thresholds), or the defaults. Read by the
 * ledgers when they check their figures; set with `node scripts/admin.ts set-thresholds`.
 */
import { DEFAULT_THRESHOLDS, type Thresholds } from "./thresholds.ts";

export async function thresholdsOf(db: D1Database, platform: string): Promise<Thresholds> {
  const row = await db
    .prepare(
      `SELECT sla_compliance_min AS slaComplianceMin, min_shipped AS minShipped,
         seller_cancellation_rate_max AS sellerCancellationRateMax, min_orders AS minOrders,
         avg_rating_min AS avgRatingMin, min_ratings AS minRatings
       FROM platform_thresholds WHERE platform_id = ?`,
    )
    .bind(platform)
    .first<Thresholds>();
  return row ?? DEFAULT_THRESHOLDS;
}
