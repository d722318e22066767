/**
 * Where the latest run placed one seller: its release, or why it has none, with what the run
 * charged it and the run's (ε, δ). A lookup by the seller's own id, never a scan: the serving
 * code reads this and released rows, nothing else.
 */

export interface SellerPlacement {
  release_id: string | null;
  reason: string | null;
  rho_micro: number;
  epsilon_micro: number;
  delta: number;
}

export async function placementOf(
  db: D1Database,
  platform: string,
  periodTo: string,
  sellerId: string,
): Promise<SellerPlacement | null> {
  return db
    .prepare(
      `SELECT p.release_id, p.reason, p.rho_micro, r.epsilon_micro, r.delta
       FROM benchmark_placements p JOIN benchmark_runs r ON r.platform_id = p.platform_id AND r.period_to = p.period_to
       WHERE p.platform_id = ? AND p.period_to = ? AND p.seller_id = ?`,
    )
    .bind(platform, periodTo, sellerId)
    .first<SellerPlacement>();
}
