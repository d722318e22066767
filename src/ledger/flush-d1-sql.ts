/**
 * The D1 statements of a ledger's flush: each table's rows upserted from one JSON array, the
 * categories sold in and the days whose reports change. Built here, run by flush.ts; never reads
 * the ledger.
 */
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { alerts as d1Alerts } from "../alerts/alert-tables.ts";
import { categories, platformAllowances, productHourly, sellerHourly, shipHourly } from "../db/core-tables.ts";
import { COUNTER_FIELDS } from "../metrics/counters.ts";
import { dayChanges } from "../reports/report-tables.ts";
import { sellerDaily } from "../retention/daily-tables.ts";
/**
 * The hourly tables' rows of a seller-day that the retention job rolled (it has a seller_daily
 * row) are refused: the daily row already counts that day's hours, and the retention keeps no
 * hourly row to replace, so an hourly row written now would be rolled again and counted twice.
 * Checked in the statement itself, so a flush and a roll-up of the same day cannot interleave.
 * `hourAt` is where a row's hour is in the JSON row.
 */
export const rolled = (owner: string[], hourAt: number): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${sellerDaily} WHERE platform_id = ${owner[0]} AND seller_id = ${owner[1]}
    AND day = (value ->> ${sql.raw(String(hourAt))}) / 24)`;

export const HOURLY = {
  columns: [
    sellerHourly.platformId,
    sellerHourly.sellerId,
    sellerHourly.hour,
    ...COUNTER_FIELDS.map((f) => sellerHourly[f]),
  ],
  key: [sellerHourly.platformId, sellerHourly.sellerId, sellerHourly.hour],
};
export const SHIPPING = {
  columns: [shipHourly.platformId, shipHourly.sellerId, shipHourly.hour, shipHourly.shipHours, shipHourly.orders],
  key: [shipHourly.platformId, shipHourly.sellerId, shipHourly.hour, shipHourly.shipHours],
};
export const ALERTS = {
  columns: [
    d1Alerts.platformId,
    d1Alerts.sellerId,
    d1Alerts.alertId,
    d1Alerts.type,
    d1Alerts.status,
    d1Alerts.raisedAt,
    d1Alerts.resolvedAt,
    d1Alerts.orderId,
    d1Alerts.details,
  ],
  key: [d1Alerts.platformId, d1Alerts.sellerId, d1Alerts.alertId],
  // Set when the alert is raised: leaving them out of a resolution's SET spares two of its indexes.
  stays: [d1Alerts.type, d1Alerts.raisedAt, d1Alerts.orderId],
};
export const PRODUCTS = {
  columns: [
    productHourly.platformId,
    productHourly.sellerId,
    productHourly.productId,
    productHourly.hour,
    productHourly.category,
    productHourly.units,
    productHourly.revenue,
    productHourly.orders,
  ],
  key: [productHourly.platformId, productHourly.sellerId, productHourly.productId, productHourly.hour],
  // A product-hour's category is its first order's (the ledger never changes it): its index stays.
  stays: [productHourly.category],
};

/** Bumps the change counter of each of these days (epoch days) of the platform (src/reports/report-tables.ts). */
export function dayChanged(platformId: string, days: number[]): SQL {
  return sql`INSERT INTO ${dayChanges} (platform_id, day, version, changed_at)
    SELECT ${platformId}, value, 1, ${new Date().toISOString()} FROM json_each(${JSON.stringify(days)}) WHERE true
    ON CONFLICT (platform_id, day) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at`;
}

/**
 * Records each category of these product rows as sold in, up to its latest hour. A category new to
 * the platform is recorded only while the platform has fewer than its categories allowance (its
 * own, or `byDefault`), so the rankings job ranks at most that many. A category left out still
 * counts in the seller's figures.
 */
export function touchCategories(platformId: string, rows: string, byDefault: number): SQL {
  const known = sql`EXISTS (SELECT 1 FROM ${categories} c WHERE c.platform_id = ${platformId} AND c.category = sold.category)`;
  const room = sql`MAX(0, COALESCE((SELECT value FROM ${platformAllowances}
      WHERE platform_id = ${platformId} AND name = 'categories'), ${byDefault})
    - (SELECT COUNT(*) FROM ${categories} WHERE platform_id = ${platformId}))`;
  return sql`WITH sold AS (
      SELECT value ->> 2 AS category, MAX(value ->> 1) AS last_hour FROM json_each(${rows}) GROUP BY value ->> 2)
    INSERT INTO ${categories} (platform_id, category, last_hour)
    SELECT ${platformId}, category, last_hour FROM (
      SELECT category, last_hour FROM sold WHERE ${known}
      UNION ALL
      SELECT * FROM (SELECT category, last_hour FROM sold WHERE NOT ${known} ORDER BY category LIMIT ${room}))
    WHERE true
    ON CONFLICT (platform_id, category) DO UPDATE SET last_hour = excluded.last_hour
    WHERE excluded.last_hour > last_hour`;
}

/**
 * INSERT … SELECT from rows given as a JSON array; on conflict, the columns a row's key can change
 * (not `stays`: a product's category, an alert's type and times of raising) are set, and only
 * where one of them differs: D1 bills each row written and each index entry an UPDATE rewrites
 * (every index on a column it sets), so a row flushed again unchanged (a retried flush, a scan
 * after a wake-up) writes nothing. `fixed` fills the first columns (the same for every row); each
 * row fills the rest in order; `where` leaves out the rows it is false for.
 */
export function upsertRows(
  table: SQLiteTable,
  fixed: string[],
  rows: string,
  shape: { columns: SQLiteColumn[]; key: SQLiteColumn[]; stays?: SQLiteColumn[] },
  where: SQL = sql`true`,
): SQL {
  const names = (columns: SQLiteColumn[]) =>
    sql.join(
      columns.map((c) => sql.identifier(c.name)),
      sql`, `,
    );
  const values = shape.columns.map((_, i) =>
    i < fixed.length ? sql`${fixed[i]}` : sql.raw(`value ->> ${i - fixed.length}`),
  );
  const set = shape.columns.filter((c) => !shape.key.includes(c) && !shape.stays?.includes(c));
  const updates = set.map((c) => sql`${sql.identifier(c.name)} = excluded.${sql.identifier(c.name)}`);
  const differs = set.map((c) => sql`${sql.identifier(c.name)} IS NOT excluded.${sql.identifier(c.name)}`);
  return sql`INSERT INTO ${table} (${names(shape.columns)})
    SELECT ${sql.join(values, sql`, `)} FROM json_each(${rows}) WHERE ${where}
    ON CONFLICT (${names(shape.key)}) DO UPDATE SET ${sql.join(updates, sql`, `)}
    WHERE ${sql.join(differs, sql` OR `)}`;
}
