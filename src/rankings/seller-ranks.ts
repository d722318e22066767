/**
 * Where a seller's products stand in the last rankings: the platform's last two complete runs,
 * and the ranks (by units, in their categories) they gave the seller's products. Reads the
 * rankings history in D1, which holds product ids and ranks only, never another seller's figures.
 */

export interface CompleteRun {
  runHour: number;
  generatedAt: string;
}

/** The platform's complete runs (every batch done), newest first: the last one and the one before. */
const LAST_RUNS = `
  SELECT r.run_hour AS runHour, r.generated_at AS generatedAt FROM ranking_runs r
  WHERE r.platform_id = ?1
    AND (SELECT COUNT(*) FROM ranking_batches b WHERE b.platform_id = r.platform_id AND b.run_hour = r.run_hour) >= r.batches
  ORDER BY r.run_hour DESC LIMIT 2`;

const RANKS = `
  SELECT run_hour, category, product_id, rank FROM rankings
  WHERE platform_id = ?1 AND run_hour IN (?2, ?3) AND "window" = ?4 AND "by" = 'units'
    AND product_id IN (SELECT value FROM json_each(?5))`;

export async function lastRuns(db: D1Database, platform: string): Promise<CompleteRun[]> {
  return (await db.prepare(LAST_RUNS).bind(platform).all<CompleteRun>()).results;
}

/** The rank by units of each (category, product) in each of these runs' lists of `window`. */
export async function ranksIn(
  db: D1Database,
  platform: string,
  runHours: readonly number[],
  window: string,
  productIds: readonly string[],
): Promise<(runHour: number, category: string, productId: string) => number | null> {
  const ranks = new Map<string, number>();
  const key = (runHour: number, category: string, productId: string) => JSON.stringify([runHour, category, productId]);
  if (runHours.length > 0 && productIds.length > 0) {
    const { results } = await db
      .prepare(RANKS)
      .bind(platform, runHours[0], runHours[1] ?? runHours[0], window, JSON.stringify(productIds))
      .all<{ run_hour: number; category: string; product_id: string; rank: number }>();
    for (const r of results) ranks.set(key(r.run_hour, r.category, r.product_id), r.rank);
  }
  return (runHour, category, productId) => ranks.get(key(runHour, category, productId)) ?? null;
}
