/**
 * Writes a ledger's changed rows to D1 as absolute values (upserts): repeating a flush
 * changes nothing, so alarms may run it any number of times (DESIGN invariant 1).
 *
 * The rows go as one JSON array per table (per 600,000 characters: json-chunks.ts), read with
 * json_each: one statement per table however many rows changed, where a statement per row
 * cost most of a flush (building it in drizzle, then executing it), as
 * `npm run bench -- --profile` shows.
 */
import { type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { SQLiteAsyncDialect, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { productHourly, sellerHourly, sellers } from "../db/schema.ts";
import { COUNTER_FIELDS, type Counters } from "../metrics/counters.ts";
import { jsonChunks } from "./json-chunks.ts";
import type { ProductCell } from "./order.ts";

const dialect = new SQLiteAsyncDialect();

export interface FlushBatch {
  platform: string;
  sellerId: string;
  updatedAt: string | null;
  hourly: (Counters & { hour: number })[];
  products: ProductCell[];
}

export async function flushToD1(database: D1Database, batch: FlushBatch): Promise<void> {
  const db = drizzle(database);
  const { platform: platformId, sellerId } = batch;
  const statements = [
    db
      .insert(sellers)
      .values({ platformId, sellerId, updatedAt: batch.updatedAt })
      .onConflictDoUpdate({ target: [sellers.platformId, sellers.sellerId], set: { updatedAt: batch.updatedAt } })
      .toSQL(),
  ];
  const hourly = batch.hourly.map((row) => [row.hour, ...COUNTER_FIELDS.map((f) => row[f])]);
  for (const rows of jsonChunks(hourly)) {
    statements.push(
      dialect.sqlToQuery(
        upsertRows(sellerHourly, [platformId, sellerId], rows, {
          columns: [
            sellerHourly.platformId,
            sellerHourly.sellerId,
            sellerHourly.hour,
            ...COUNTER_FIELDS.map((f) => sellerHourly[f]),
          ],
          key: [sellerHourly.platformId, sellerHourly.sellerId, sellerHourly.hour],
        }),
      ),
    );
  }
  const products = batch.products.map((c) => [c.product_id, c.hour, c.category, c.units, c.revenue]);
  for (const rows of jsonChunks(products)) {
    statements.push(
      dialect.sqlToQuery(
        upsertRows(productHourly, [platformId, sellerId], rows, {
          columns: [
            productHourly.platformId,
            productHourly.sellerId,
            productHourly.productId,
            productHourly.hour,
            productHourly.category,
            productHourly.units,
            productHourly.revenue,
          ],
          key: [productHourly.platformId, productHourly.sellerId, productHourly.productId, productHourly.hour],
        }),
      ),
    );
  }
  // D1's own batch (drizzle's cannot carry raw statements): one implicit transaction.
  await database.batch(statements.map((q) => database.prepare(q.sql).bind(...q.params)));
}

/**
 * INSERT … SELECT from rows given as a JSON array, replacing every non-key column on conflict.
 * `fixed` fills the first columns (the same for every row); each row fills the rest in order.
 */
function upsertRows(
  table: SQLiteTable,
  fixed: string[],
  rows: string,
  shape: { columns: SQLiteColumn[]; key: SQLiteColumn[] },
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
    SELECT ${sql.join(values, sql`, `)} FROM json_each(${rows}) WHERE true
    ON CONFLICT (${names(shape.key)}) DO UPDATE SET ${sql.join(updates, sql`, `)}`;
}
