/**
 * A platform's thresholds: its own row in D1 (platform_thresholds), or the defaults; set by
 * PUT /v1/ops/thresholds or `node scripts/admin.ts set-thresholds`. `updatedAt` orders the
 * versions, so a ledger never trades newer values for older ones.
 */
import { DEFAULT_THRESHOLDS, type Thresholds } from "./thresholds.ts";

/** The platform's thresholds and when they were set (null: the defaults, never set). */
export interface PlatformThresholds {
  thresholds: Thresholds;
  updatedAt: string | null;
}

export async function platformThresholds(db: D1Database, platform: string): Promise<PlatformThresholds> {
  const row = await db
    .prepare(
      `SELECT sla_compliance_min AS slaComplianceMin, min_shipped AS minShipped,
         seller_cancellation_rate_max AS sellerCancellationRateMax, min_orders AS minOrders,
         avg_rating_min AS avgRatingMin, min_ratings AS minRatings, updated_at AS updatedAt
       FROM platform_thresholds WHERE platform_id = ?`,
    )
    .bind(platform)
    .first<Thresholds & { updatedAt: string }>();
  if (!row) return { thresholds: DEFAULT_THRESHOLDS, updatedAt: null };
  const { updatedAt, ...thresholds } = row;
  return { thresholds, updatedAt };
}

/** The statement that replaces the platform's thresholds (values checked by the caller). */
export function setThresholdsStatement(db: D1Database, platform: string, t: Thresholds, now: string) {
  return db
    .prepare(
      `INSERT OR REPLACE INTO platform_thresholds (platform_id, sla_compliance_min, min_shipped,
         seller_cancellation_rate_max, min_orders, avg_rating_min, min_ratings, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      platform,
      t.slaComplianceMin,
      t.minShipped,
      t.sellerCancellationRateMax,
      t.minOrders,
      t.avgRatingMin,
      t.minRatings,
      now,
    );
}
