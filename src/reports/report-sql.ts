/**
 * The daily reports' rows, from the D1 rollups of one UTC day (its 24 epoch hours): read for a
 * page of sellers at a time, so that each query walks the rollups' primary key (platform,
 * seller, ...) and no answer grows with the platform. Sorted, so the same rollups always give
 * the same file; and a seller's rows, by its exact id, from the ranges kept beside the file.
 */

export const REPORT_KINDS = ["products", "sellers"] as const;
/** How many days after it a day is written again when later events change it. */
export const REVISED_FOR_DAYS = 7;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Each kind's columns, as the contract names them. */
export const REPORT_COLUMNS: Record<ReportKind, readonly string[]> = {
  products: ["date", "seller_id", "product_id", "category", "orders", "units", "gmv"],
  sellers: ["date", "seller_id", "orders", "gmv", "refunds", "commission", "fees", "payout_accrued", "payout_paid"],
};

/** The sellers with rollups in the day, after `after` (by id), at most `limit`. */
export const SELLERS_OF_DAY = `
  SELECT DISTINCT seller_id FROM seller_hourly
  WHERE platform_id = ?1 AND hour >= ?2 AND hour < ?3 AND seller_id > ?4
  ORDER BY seller_id LIMIT ?5`;

/** The sellers' day: sums of the summary's counters over its hours; a seller with all zero is left out. */
export const SELLER_ROWS = `
  SELECT seller_id, SUM(orders) AS orders, SUM(gmv) AS gmv, SUM(refunds) AS refunds,
    SUM(commission) AS commission, SUM(fees) AS fees, SUM(payout_accrued) AS payout_accrued,
    SUM(payout_paid) AS payout_paid
  FROM seller_hourly
  WHERE platform_id = ?1 AND seller_id IN (SELECT value FROM json_each(?2)) AND hour >= ?3 AND hour < ?4
  GROUP BY seller_id
  HAVING SUM(orders) <> 0 OR SUM(gmv) <> 0 OR SUM(refunds) <> 0 OR SUM(commission) <> 0 OR SUM(fees) <> 0
    OR SUM(payout_accrued) <> 0 OR SUM(payout_paid) <> 0
  ORDER BY seller_id`;

/** The sellers' products in the day: orders, units and revenue of orders neither cancelled nor rejected. */
export const PRODUCT_ROWS = `
  SELECT seller_id, product_id, category, SUM(orders) AS orders, SUM(units) AS units, SUM(revenue) AS gmv
  FROM product_hourly
  WHERE platform_id = ?1 AND seller_id IN (SELECT value FROM json_each(?2)) AND hour >= ?3 AND hour < ?4
  GROUP BY seller_id, product_id, category
  HAVING SUM(orders) <> 0 OR SUM(units) <> 0 OR SUM(revenue) <> 0
  ORDER BY seller_id, product_id, category`;

/** Where a report's file is written from: the ranges of one page of sellers, as JSON [[seller, offset, bytes, digest], ...]. */
export const INSERT_RANGES = `
  INSERT INTO report_ranges (platform_id, date, kind, seller_id, generation, offset, bytes, digest)
  SELECT ?1, ?2, ?3, value ->> 0, ?4, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?5)`;

/** The digests of each seller's rows in the day's reports as they stand (?1 platform, ?2 date). */
export const CURRENT_DIGESTS = `
  SELECT x.seller_id, x.kind, x.digest FROM reports r
  JOIN report_ranges x ON x.platform_id = r.platform_id AND x.date = r.date AND x.kind = r.kind
    AND x.generation = r.generation
  WHERE r.platform_id = ?1 AND r.date = ?2`;

/**
 * The days from ?2 to ?3 (epoch days) of platform ?1 with their rollups' change counter (0: never
 * changed) and their report as written (revision and the counter it was read at; null: none).
 */
export const DAYS_AND_REPORTS = `
  WITH RECURSIVE days(day) AS (SELECT ?2 UNION ALL SELECT day + 1 FROM days WHERE day < ?3)
  SELECT days.day, COALESCE(c.version, 0) AS version, r.revision, r.source_version
  FROM days
  LEFT JOIN day_changes c ON c.platform_id = ?1 AND c.day = days.day
  LEFT JOIN reports r ON r.platform_id = ?1 AND r.kind = 'sellers'
    AND r.date = strftime('%Y-%m-%d', days.day * 86400, 'unixepoch')`;

/**
 * A seller's rows in a report, by its exact id: the file's generation (null: no such report row
 * has ranges) and, when the seller has rows, where they are. No row: no such report.
 */
export const OWN_RANGE = `
  SELECT r.generation, x.offset, x.bytes FROM reports r
  LEFT JOIN report_ranges x ON x.platform_id = r.platform_id AND x.date = r.date AND x.kind = r.kind
    AND x.generation = r.generation AND x.seller_id = ?4
  WHERE r.platform_id = ?1 AND r.date = ?2 AND r.kind = ?3`;
