/**
 * Daily rows: the hourly projections (seller_hourly, product_hourly, ship_hourly) of days older
 * than the retention, rolled up by the retention job (src/retention/retention-job.ts), one row per UTC
 * day (epoch days) where there were up to 24 hourly ones. A seller's day is rolled whole, in one
 * batch with the deletion of its hourly rows; from then on the flush leaves that day alone.
 * Nothing reads them yet: every reader of the rollups reads days inside the retention. Kept
 * DAILY_ROLLUPS_RETENTION_DAYS (the `_by_day` indexes let the retention job find the oldest).
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { COUNTER_FIELDS, type CounterField } from "../metrics/counters.ts";

const counterColumns = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, integer(f).notNull().default(0)])) as {
  [F in CounterField]: ReturnType<typeof integer>;
};

/** seller_hourly's counters summed over the seller's UTC day. */
export const sellerDaily = sqliteTable(
  "seller_daily",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    day: integer("day").notNull(),
    ...counterColumns,
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.sellerId, t.day] }),
    index("seller_daily_by_day").on(t.platformId, t.day),
  ],
);

/** product_hourly summed over the day, per product and category (a product's category may change). */
export const productDaily = sqliteTable(
  "product_daily",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    productId: text("product_id").notNull(),
    day: integer("day").notNull(),
    category: text("category").notNull(),
    units: integer("units").notNull().default(0),
    revenue: integer("revenue").notNull().default(0),
    orders: integer("orders").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.sellerId, t.productId, t.day, t.category] }),
    index("product_daily_by_day").on(t.platformId, t.day),
  ],
);

/** ship_hourly summed over the day of placement, per whole hours to ship. */
export const shipDaily = sqliteTable(
  "ship_daily",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    day: integer("day").notNull(),
    shipHours: integer("ship_hours").notNull(),
    orders: integer("orders").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.sellerId, t.day, t.shipHours] }),
    index("ship_daily_by_day").on(t.platformId, t.day),
  ],
);
