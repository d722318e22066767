/**
 * The core of the D1 schema (drizzle): platforms, hashed API keys, the projections of the
 * SellerLedger objects (written as absolute values) and the audit log. Each feature keeps its own
 * tables in its folder (src/<feature>/*-tables.ts); migrations/ is generated from them all by
 * `npm run db:generate` (drizzle-kit), never pushed.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { COUNTER_FIELDS, type CounterField } from "../metrics/counters.ts";

export const platforms = sqliteTable("platforms", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  currency: text("currency").notNull(),
  createdAt: text("created_at").notNull(),
  /** How many sellers the platform may have (src/limits/seller-quota.ts). */
  maxSellers: integer("max_sellers").notNull().default(100_000),
  /**
   * How many sellers it has (rows of platform_sellers), kept by triggers on that table, so that the
   * quota check reads one row, not every seller.
   */
  sellerCount: integer("seller_count").notNull().default(0),
});

/**
 * A platform's own allowances (src/db/allowances.ts): one row per allowance that differs from
 * wrangler.toml's default, set by `node scripts/admin.ts set-allowance`.
 */
export const platformAllowances = sqliteTable(
  "platform_allowances",
  {
    platformId: text("platform_id").notNull(),
    /** An allowance's name (ALLOWANCES in src/db/allowances.ts), e.g. reads_per_10s. */
    name: text("name").notNull(),
    value: integer("value").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.name] })],
);

/** API keys, stored as SHA-256 hex of the key: the key itself is shown once, at creation. */
export const apiKeys = sqliteTable("api_keys", {
  keyHash: text("key_hash").primaryKey(),
  platformId: text("platform_id")
    .notNull()
    .references(() => platforms.id),
  label: text("label").notNull(),
  createdAt: text("created_at").notNull(),
  revokedAt: text("revoked_at"),
});

export const sellers = sqliteTable(
  "sellers",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    /** When the row was written: the seller's first flush, then each change of its region. */
    updatedAt: text("updated_at"),
    /** The region of the seller's latest order (its benchmark cohort's region). */
    region: text("region"),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.sellerId] })],
);

const counterColumns = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, integer(f).notNull().default(0)])) as {
  [F in CounterField]: ReturnType<typeof integer>;
};

/** One row per seller and event hour (epoch hours, UTC): the ledger's hourly counters. */
export const sellerHourly = sqliteTable(
  "seller_hourly",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    hour: integer("hour").notNull(),
    ...counterColumns,
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.sellerId, t.hour] }),
    index("seller_hourly_by_hour").on(t.platformId, t.hour),
  ],
);

/** One row per seller, product and hour, for orders neither cancelled nor rejected. */
export const productHourly = sqliteTable(
  "product_hourly",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    productId: text("product_id").notNull(),
    hour: integer("hour").notNull(),
    category: text("category").notNull(),
    units: integer("units").notNull().default(0),
    revenue: integer("revenue").notNull().default(0),
    /** Orders of the product in the hour (neither cancelled nor rejected), for the daily reports. */
    orders: integer("orders").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.sellerId, t.productId, t.hour] }),
    index("product_hourly_by_category").on(t.platformId, t.category, t.hour),
  ],
);

/**
 * The categories a platform's sellers have sold in, with the latest hour of a sale: written by
 * the flush beside product_hourly, so that the rankings job lists the categories to rank without
 * scanning the rollups.
 */
export const categories = sqliteTable(
  "categories",
  {
    platformId: text("platform_id").notNull(),
    category: text("category").notNull(),
    lastHour: integer("last_hour").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.category] }),
    // Those not sold in CATEGORIES_RETENTION_DAYS go first (src/retention/row-sweeps.ts).
    index("categories_by_last_sale").on(t.platformId, t.lastHour),
  ],
);

/** Shipped orders per seller, placement hour and whole hours from placement to shipment. */
export const shipHourly = sqliteTable(
  "ship_hourly",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    hour: integer("hour").notNull(),
    shipHours: integer("ship_hours").notNull(),
    orders: integer("orders").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.sellerId, t.hour, t.shipHours] })],
);

/** Who minted sessions, changed webhooks or replayed messages, and when. */
export const audit = sqliteTable(
  "audit",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platformId: text("platform_id").notNull(),
    at: text("at").notNull(),
    /** "platform key", "operator", or "admin" (the admin command). */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    subject: text("subject"),
  },
  (t) => [
    index("audit_by_platform").on(t.platformId, t.id),
    // The retention deletes the oldest first (src/retention/row-sweeps.ts).
    index("audit_by_time").on(t.platformId, t.at),
  ],
);
