/**
 * Writes a ledger's changed rows to D1 as absolute values (upserts): repeating a flush
 * changes nothing, so alarms may run it any number of times (DESIGN invariant 1).
 */
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { BatchItem } from "drizzle-orm/batch";
import { productHourly, sellerHourly, sellers } from "../db/schema.ts";
import { COUNTER_FIELDS, type Counters } from "./counters.ts";
import type { ProductCell } from "./order.ts";

export interface FlushBatch {
  platform: string;
  sellerId: string;
  updatedAt: string | null;
  hourly: (Counters & { hour: number })[];
  products: ProductCell[];
}

/** D1 binds at most 100 parameters per statement; one row per statement keeps well below. */
const STATEMENTS_PER_BATCH = 100;

const excluded = (column: string) => sql.raw(`excluded.${column}`);

export async function flushToD1(database: D1Database, batch: FlushBatch): Promise<void> {
  const db = drizzle(database);
  const { platform: platformId, sellerId } = batch;
  const statements: BatchItem<"sqlite">[] = [
    db
      .insert(sellers)
      .values({ platformId, sellerId, updatedAt: batch.updatedAt })
      .onConflictDoUpdate({ target: [sellers.platformId, sellers.sellerId], set: { updatedAt: batch.updatedAt } }),
  ];
  for (const row of batch.hourly) {
    const counters = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, row[f]])) as Counters;
    statements.push(
      db
        .insert(sellerHourly)
        .values({ platformId, sellerId, hour: row.hour, ...counters })
        .onConflictDoUpdate({
          target: [sellerHourly.platformId, sellerHourly.sellerId, sellerHourly.hour],
          set: Object.fromEntries(COUNTER_FIELDS.map((f) => [f, excluded(f)])),
        }),
    );
  }
  for (const cell of batch.products) {
    statements.push(
      db
        .insert(productHourly)
        .values({
          platformId,
          sellerId,
          productId: cell.product_id,
          hour: cell.hour,
          category: cell.category,
          units: cell.units,
          revenue: cell.revenue,
        })
        .onConflictDoUpdate({
          target: [productHourly.platformId, productHourly.sellerId, productHourly.productId, productHourly.hour],
          set: { units: excluded("units"), revenue: excluded("revenue"), category: excluded("category") },
        }),
    );
  }
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    const chunk = statements.slice(i, i + STATEMENTS_PER_BATCH);
    await db.batch(chunk as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  }
}
