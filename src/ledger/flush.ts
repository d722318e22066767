/**
 * Writes a ledger's changed rows to D1 as absolute values (upserts): repeating a flush
 * changes nothing, so alarms may run it any number of times: the ledger is the truth, D1 its
 * projection.
 *
 * Each table's rows go as one JSON array (per 600,000 characters: json-chunks.ts), read with
 * json_each: one statement per table however many rows changed, since a statement's fixed
 * cost, not its rows, is most of what a flush costs.
 */
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { alerts as d1Alerts } from "../alerts/alert-tables.ts";
import { productHourly, sellerHourly, sellers, shipHourly } from "../db/core-tables.ts";
import { jsonChunks } from "../db/json-chunks.ts";
import { COUNTER_FIELDS, type Counters } from "../metrics/counters.ts";
import { type DirtyKeys, dirtyKeysOf, type FlushedTable, type Taken } from "./dirty-keys.ts";
import { ALERTS, dayChanged, HOURLY, PRODUCTS, rolled, SHIPPING, touchCategories, upsertRows } from "./flush-d1-sql.ts";
import { FLUSH } from "./flush-sql.ts";
import { healthQueries } from "./health-flush.ts";
import { readMeta } from "./meta.ts";
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
 * The rows changed since the last flush (those `taken` names, or all stamped after it), and the
 * sequence they were changed up to; null when there is nothing to write or the ledger does not
 * know its seller yet.
 */
function collectFlush(
  sql: SqlStorage,
  meta: Record<string, string | undefined>,
  taken: Taken,
  nowMs: number,
  force: boolean,
): { batch: FlushBatch; seq: number } | null {
  if (!meta.platform || !meta.seller_id) return null;
  const rows = <T>(table: FlushedTable): T[] => {
    if (taken.scan)
      return sql.exec<T & Record<string, SqlStorageValue>>(FLUSH.scan[table], Number(meta.flushed ?? 0)).toArray();
    return jsonChunks(taken.keys[table].map((k) => JSON.parse(k) as unknown)).flatMap((chunk) =>
      sql.exec<T & Record<string, SqlStorageValue>>(FLUSH.byKey[table], chunk).toArray(),
    );
  };
  const batch: FlushBatch = {
    platform: meta.platform,
    sellerId: meta.seller_id,
    updatedAt: meta.updated_at ?? null,
    region: meta.region ? (JSON.parse(meta.region) as [string, string])[1] : null,
    hourly: rows<Counters & { hour: number }>("hourly"),
    products: rows<ProductCell>("products"),
    shipping: rows<ShipRow>("shipping"),
    alerts: rows<AlertRow>("alerts"),
    health: healthOf(sql, meta.seller_id, nowMs),
  };
  // The health row is written with every flush; a forced one (time moved the periods) has only it.
  return rowsOf(batch) === 0 && !force ? null : { batch, seq: Number(meta.seq ?? 0) };
}

/**
 * Writes the rows changed since the last flush to D1, with the seller's row of the operator's views
 * (`force`: that row even with nothing else to write); returns how many rows changed.
 * `categoriesAllowance`: the default of the platform's categories allowance (its own value, where
 * set, is read in the statement). `dirty`: the keys the ledger changed (none: every row stamped
 * after the last flush is read).
 */
export async function flushLedger(
  sql: SqlStorage,
  db: D1Database,
  force: boolean,
  categoriesAllowance: number,
  dirty: DirtyKeys | undefined = dirtyKeysOf(sql),
): Promise<number> {
  const meta = readMeta(sql);
  const taken = dirty?.take() ?? scanAll;
  const collected = collectFlush(sql, meta, taken, Date.now(), force);
  if (!collected) {
    recordFlushed(sql, Number(meta.seq ?? 0)); // nothing to write: nothing pending either
    taken.done();
    return 0;
  }
  await flushToD1(db, collected.batch, categoriesAllowance);
  // No row is rewritten to clean it: those changed while D1 was written carry a later sequence.
  recordFlushed(sql, collected.seq);
  taken.done();
  return rowsOf(collected.batch);
}

/** A ledger with no tracker: every flush scans. */
const scanAll: Taken = { scan: true, keys: { hourly: [], products: [], shipping: [], alerts: [] }, done: () => {} };

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
