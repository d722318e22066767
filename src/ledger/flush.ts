/**
 * Writes a ledger's changed rows to D1 as absolute values (upserts): repeating a flush
 * changes nothing, so alarms may run it any number of times: the ledger is the truth, D1 its
 * projection.
 *
 * Each table's rows go as one JSON array (per 600,000 characters: json-chunks.ts), read with
 * json_each: one statement per table however many rows changed, since a statement's fixed
 * cost, not its rows, is most of what a flush costs.
 */
import { type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { SQLiteAsyncDialect, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { alerts as d1Alerts } from "../alerts/alert-tables.ts";
import { categories, platformAllowances, productHourly, sellerHourly, sellers, shipHourly } from "../db/core-tables.ts";
import { jsonChunks } from "../db/json-chunks.ts";
import { COUNTER_FIELDS, type Counters } from "../metrics/counters.ts";
import { dayChanges } from "../reports/report-tables.ts";
import { sellerDaily } from "../retention/daily-tables.ts";
import { healthQueries } from "./health-flush.ts";
import { FLUSH, META } from "./ledger-sql.ts";
import type { ProductCell } from "./order.ts";
import { type HealthRow, healthOf } from "./reads.ts";

/** Shipped orders of one placement hour that took `ship_hours` whole hours to ship. */
type ShipRow = { hour: number; ship_hours: number; orders: number };

/** An alert as D1 keeps it for the operator's views (details as JSON text). */
type AlertRow = {
  alert_id: string;
  type: string;
  status: string;
  raised_at: string;
  resolved_at: string | null;
  order_id: string | null;
  details: string;
};

interface FlushBatch {
  platform: string;
  sellerId: string;
  updatedAt: string | null;
  /** The region of the seller's latest order. */
  region: string | null;
  hourly: (Counters & { hour: number })[];
  products: ProductCell[];
  shipping: ShipRow[];
  alerts: AlertRow[];
  health: HealthRow;
}

/**
 * The rows changed since the last flush (dirty), and the sequence they were changed up to; null
 * when there is nothing to write or the ledger does not know its seller yet.
 */
function collectFlush(
  sql: SqlStorage,
  meta: Record<string, string | undefined>,
  nowMs: number,
  force: boolean,
): { batch: FlushBatch; seq: number } | null {
  if (!meta.platform || !meta.seller_id) return null;
  const batch: FlushBatch = {
    platform: meta.platform,
    sellerId: meta.seller_id,
    updatedAt: meta.updated_at ?? null,
    region: meta.region ? (JSON.parse(meta.region) as [string, string])[1] : null,
    hourly: sql.exec<Counters & { hour: number }>(FLUSH.hourly).toArray(),
    products: sql.exec<ProductCell>(FLUSH.products).toArray(),
    shipping: sql.exec<ShipRow>(FLUSH.shipping).toArray(),
    alerts: sql.exec<AlertRow>(FLUSH.alerts).toArray(),
    health: healthOf(sql, meta.seller_id, nowMs),
  };
  // The health row is written with every flush; a forced one (time moved the periods) has only it.
  return rowsOf(batch) === 0 && !force ? null : { batch, seq: Number(meta.seq ?? 0) };
}

/**
 * Writes the rows changed since the last flush to D1, with the seller's row of the operator's views
 * (`force`: that row even with nothing else to write); returns how many rows changed.
 * `categoriesAllowance`: the default of the platform's categories allowance (its own value, where
 * set, is read in the statement).
 */
export async function flushLedger(
  sql: SqlStorage,
  db: D1Database,
  force: boolean,
  categoriesAllowance: number,
): Promise<number> {
  const meta = readMeta(sql);
  const collected = collectFlush(sql, meta, Date.now(), force);
  if (!collected) {
    recordFlushed(sql, Number(meta.seq ?? 0)); // nothing to write: nothing pending either
    return 0;
  }
  await flushToD1(db, collected.batch, categoriesAllowance);
  markFlushed(sql, collected.seq);
  return rowsOf(collected.batch);
}

/** The ledger's meta rows by key. */
export function readMeta(sql: SqlStorage): Record<string, string | undefined> {
  const rows = sql.exec<{ key: string; value: string }>(META).toArray();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** Marks the flushed rows clean; rows changed while D1 was being written carry a later sequence and stay dirty. */
function markFlushed(sql: SqlStorage, seq: number): void {
  for (const clean of FLUSH.clean) sql.exec(clean, seq);
  recordFlushed(sql, seq);
}

/** D1 holds every change up to `seq` (a flush wrote them, or found nothing to write). */
function recordFlushed(sql: SqlStorage, seq: number): void {
  sql.exec(FLUSH.done, seq);
}

/**
 * Whether changes wait for a flush: the ledger changed since the last flush that succeeded. Asked
 * whenever a flush might have been lost (a retried batch, the end of an alarm), so that a flush is
 * scheduled whenever one is pending, whatever failed after the change committed.
 */
export function flushPending(meta: Record<string, string | undefined>): boolean {
  return Number(meta.seq ?? 0) > Number(meta.flushed ?? 0);
}

/** Counts a failed flush; returns the failures in a row. */
export function recordFlushFailure(sql: SqlStorage): number {
  return Number(sql.exec<{ value: string }>(FLUSH.failed).one().value);
}

const rowsOf = (batch: FlushBatch) =>
  batch.hourly.length + batch.products.length + batch.shipping.length + batch.alerts.length;

/**
 * The hourly tables' rows of a seller-day that the retention job rolled (it has a seller_daily
 * row) are refused: the daily row already counts that day's hours, and the retention keeps no
 * hourly row to replace, so an hourly row written now would be rolled again and counted twice.
 * Checked in the statement itself, so a flush and a roll-up of the same day cannot interleave.
 * `hourAt` is where a row's hour is in the JSON row.
 */
const rolled = (owner: string[], hourAt: number): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${sellerDaily} WHERE platform_id = ${owner[0]} AND seller_id = ${owner[1]}
    AND day = (value ->> ${sql.raw(String(hourAt))}) / 24)`;

const HOURLY = {
  columns: [
    sellerHourly.platformId,
    sellerHourly.sellerId,
    sellerHourly.hour,
    ...COUNTER_FIELDS.map((f) => sellerHourly[f]),
  ],
  key: [sellerHourly.platformId, sellerHourly.sellerId, sellerHourly.hour],
};
const SHIPPING = {
  columns: [shipHourly.platformId, shipHourly.sellerId, shipHourly.hour, shipHourly.shipHours, shipHourly.orders],
  key: [shipHourly.platformId, shipHourly.sellerId, shipHourly.hour, shipHourly.shipHours],
};
const ALERTS = {
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
};
const PRODUCTS = {
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
};

const dialect = new SQLiteAsyncDialect();

/** Writes the batch to D1 in one transaction. */
async function flushToD1(database: D1Database, batch: FlushBatch, categoriesAllowance: number): Promise<void> {
  const db = drizzle(database);
  const { platform: platformId, sellerId } = batch;
  const owner = [platformId, sellerId];
  const hourly = batch.hourly.map((row) => [row.hour, ...COUNTER_FIELDS.map((f) => row[f])]);
  const products = batch.products.map((c) => [c.product_id, c.hour, c.category, c.units, c.revenue, c.orders]);
  const shipping = batch.shipping.map((c) => [c.hour, c.ship_hours, c.orders]);
  const alerts = batch.alerts.map((a) => [
    a.alert_id,
    a.type,
    a.status,
    a.raised_at,
    a.resolved_at,
    a.order_id,
    a.details,
  ]);
  const queries = [
    // The seller's row: written when it is new or its region changes (updated_at: then).
    db
      .insert(sellers)
      .values({ platformId, sellerId, updatedAt: batch.updatedAt, region: batch.region })
      .onConflictDoUpdate({
        target: [sellers.platformId, sellers.sellerId],
        set: { updatedAt: batch.updatedAt, region: batch.region },
        setWhere: sql`${sellers.region} IS NOT ${batch.region}`,
      })
      .toSQL(),
    ...jsonChunks(hourly).map((rows) =>
      dialect.sqlToQuery(upsertRows(sellerHourly, owner, rows, HOURLY, rolled(owner, 0))),
    ),
    ...jsonChunks(products).map((rows) =>
      dialect.sqlToQuery(upsertRows(productHourly, owner, rows, PRODUCTS, rolled(owner, 1))),
    ),
    ...jsonChunks(products).map((rows) => dialect.sqlToQuery(touchCategories(platformId, rows, categoriesAllowance))),
    ...jsonChunks(shipping).map((rows) =>
      dialect.sqlToQuery(upsertRows(shipHourly, owner, rows, SHIPPING, rolled(owner, 0))),
    ),
    ...jsonChunks(alerts).map((rows) => dialect.sqlToQuery(upsertRows(d1Alerts, owner, rows, ALERTS))),
    ...healthQueries(platformId, sellerId, batch.health),
  ];
  // The days whose rollups this flush writes have changed: their reports are written again.
  const days = [...new Set([...batch.hourly, ...batch.products].map((row) => Math.floor(row.hour / 24)))];
  if (days.length > 0) queries.push(dialect.sqlToQuery(dayChanged(platformId, days)));
  // D1's own batch (one implicit transaction): drizzle's cannot carry raw statements
  // (db.batch([db.run(sql`...`)]) throws, drizzle-orm issue #2277).
  await database.batch(queries.map((q) => database.prepare(q.sql).bind(...q.params)));
}

/** Bumps the change counter of each of these days (epoch days) of the platform (src/reports/report-tables.ts). */
function dayChanged(platformId: string, days: number[]): SQL {
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
function touchCategories(platformId: string, rows: string, byDefault: number): SQL {
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
 * INSERT … SELECT from rows given as a JSON array, replacing every non-key column on conflict.
 * `fixed` fills the first columns (the same for every row); each row fills the rest in order;
 * `where` leaves out the rows it is false for.
 */
function upsertRows(
  table: SQLiteTable,
  fixed: string[],
  rows: string,
  shape: { columns: SQLiteColumn[]; key: SQLiteColumn[] },
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
  const updates = shape.columns
    .filter((c) => !shape.key.includes(c))
    .map((c) => sql`${sql.identifier(c.name)} = excluded.${sql.identifier(c.name)}`);
  return sql`INSERT INTO ${table} (${names(shape.columns)})
    SELECT ${sql.join(values, sql`, `)} FROM json_each(${rows}) WHERE ${where}
    ON CONFLICT (${names(shape.key)}) DO UPDATE SET ${sql.join(updates, sql`, `)}`;
}
