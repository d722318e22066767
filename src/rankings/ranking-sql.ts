/**
 * The rankings job's SQL over D1. Ranking happens in SQL, per platform and category: D1 sums
 * and ranks the window's rollups and returns the lists only, never the rows they come from.
 */
import {
  LIST_LENGTH,
  RANKING_ORDERS,
  RANKING_WINDOWS,
  type RankingOrder,
  type RankingWindow,
  WINDOWS,
} from "./windows.ts";

/** A row of RANK_CATEGORY: one product's figures and ranks in every list (`units_24h`, `rank_24h_revenue`...). */
export type RankedProduct = { product_id: string } & Record<string, number>;

const sumsOf = (w: RankingWindow) =>
  `SUM(CASE WHEN hour >= ?3 - ${WINDOWS[w]} THEN units ELSE 0 END) AS units_${w},
   SUM(CASE WHEN hour >= ?3 - ${WINDOWS[w]} THEN revenue ELSE 0 END) AS revenue_${w}`;

/** A list's rank: products sold in the window first, then by the order, ties to the lower product id. */
const rankOf = (w: RankingWindow, by: RankingOrder) =>
  `ROW_NUMBER() OVER (ORDER BY units_${w} > 0 DESC, ${by}_${w} DESC, product_id) AS rank_${w}_${by}`;

const LISTS = RANKING_WINDOWS.flatMap((w) => RANKING_ORDERS.map((by) => [w, by] as const));

/**
 * Every list of one category (?1 platform, ?2 category, ?3 the run's hour): each product's units
 * and revenue over each window, of the orders placed in it, and its rank in each list. Only the
 * products in some list's first LIST_LENGTH come back. (One SELECT with a window function per
 * list: D1 refuses a compound SELECT of six.)
 */
export const RANK_CATEGORY = `
  WITH sums AS (
    SELECT product_id, ${RANKING_WINDOWS.map(sumsOf).join(", ")}
    FROM product_hourly
    WHERE platform_id = ?1 AND category = ?2 AND hour >= ?3 - ${WINDOWS["7d"]} AND hour < ?3
    GROUP BY product_id),
  ranked AS (SELECT *, ${LISTS.map(([w, by]) => rankOf(w, by)).join(", ")} FROM sums)
  SELECT * FROM ranked WHERE ${LISTS.map(([w, by]) => `rank_${w}_${by} <= ${LIST_LENGTH}`).join(" OR ")}`;

/** A list's entries, in order, from the rows of RANK_CATEGORY: the products sold in its window. */
export function listOf(rows: readonly RankedProduct[], w: RankingWindow, by: RankingOrder): RankedProduct[] {
  return rows
    .filter((r) => r[`units_${w}`]! > 0 && r[`rank_${w}_${by}`]! <= LIST_LENGTH)
    .sort((a, b) => a[`rank_${w}_${by}`]! - b[`rank_${w}_${by}`]!);
}

/** The categories sold in within the 7-day window of a run (?1 platform, ?2 the run's hour). */
export const ACTIVE_CATEGORIES = `SELECT category FROM categories WHERE platform_id = ?1 AND last_hour >= ?2 - ${WINDOWS["7d"]}`;

/** The categories a run ranked (?1 platform, ?2 its hour): a category that drops out gets empty lists once. */
export const RANKED_CATEGORIES = "SELECT DISTINCT category FROM rankings WHERE platform_id = ?1 AND run_hour = ?2";

/** The latest run before the hour ?2 (?1 platform). */
export const PREVIOUS_RUN =
  "SELECT MAX(run_hour) AS run_hour FROM ranking_runs WHERE platform_id = ?1 AND run_hour < ?2";

/** Starts (or restarts) a run: how many batches it has, none done. */
export const START_RUN = [
  `INSERT INTO ranking_runs (platform_id, run_hour, generated_at, batches) VALUES (?1, ?2, ?3, ?4)
   ON CONFLICT (platform_id, run_hour) DO UPDATE SET generated_at = excluded.generated_at, batches = excluded.batches`,
  "DELETE FROM ranking_batches WHERE platform_id = ?1 AND run_hour = ?2",
] as const;

export const BATCH_DONE = "INSERT OR IGNORE INTO ranking_batches (platform_id, run_hour, batch) VALUES (?1, ?2, ?3)";

/** A category's 24h top 10 by units in a run (?1 platform, ?2 run hour, ?3 category). */
export const TOP_TEN = `
  SELECT product_id, rank FROM rankings
  WHERE platform_id = ?1 AND run_hour = ?2 AND category = ?3 AND "window" = '24h' AND "by" = 'units' AND rank <= 10`;

/** The sellers that sold these products (?4, a JSON array) in a category over the last two days. */
export const SELLERS_OF = `
  SELECT DISTINCT seller_id, product_id FROM product_hourly
  WHERE platform_id = ?1 AND category = ?2 AND hour >= ?3 - 48 AND hour < ?3
    AND product_id IN (SELECT value FROM json_each(?4))`;

/** A category's lists of a run, replaced whole (?1 platform, ?2 run hour, ?3 category, ?4 rows as JSON). */
export const REPLACE_LISTS = [
  "DELETE FROM rankings WHERE platform_id = ?1 AND run_hour = ?2 AND category = ?3",
  `INSERT INTO rankings (platform_id, run_hour, category, "window", "by", rank, product_id, units, revenue)
   SELECT ?1, ?2, ?3, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5
   FROM json_each(?4)`,
] as const;

/** Rank changes (?1 platform, ?2 run hour, ?3 category, ?4 rows as JSON: seller, product, change, rank, previous). */
export const RECORD_CHANGES = `
  INSERT OR REPLACE INTO rank_changes (platform_id, seller_id, run_hour, category, product_id, change, rank, previous_rank)
  SELECT ?1, value ->> 0, ?2, ?3, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?4)`;
