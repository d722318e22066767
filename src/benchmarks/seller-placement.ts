/**
 * Where the latest run placed one seller: its release, or why it has none. A lookup by the
 * seller's own id, never a scan: the serving code reads this and released rows, nothing else.
 */

export interface SellerPlacement {
  release_id: string | null;
  reason: string | null;
  epsilon_micro: number;
}

export async function placementOf(
  db: D1Database,
  platform: string,
  periodTo: string,
  sellerId: string,
): Promise<SellerPlacement | null> {
  return db
    .prepare(
      "SELECT release_id, reason, epsilon_micro FROM benchmark_placements WHERE platform_id = ? AND period_to = ? AND seller_id = ?",
    )
    .bind(platform, periodTo, sellerId)
    .first<SellerPlacement>();
}
