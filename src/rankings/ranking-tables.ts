/**
 * The hourly rankings' history (D1): each run's lists per platform, category, window and
 * order, the runs themselves, and the rank changes each run finds per seller. Written only by
 * the rankings job; the public read never touches these (it reads KV).
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One run per platform and hour (a second run in the same hour replaces the first). */
export const rankingRuns = sqliteTable(
  "ranking_runs",
  {
    platformId: text("platform_id").notNull(),
    /** The hour of the run (epoch hours, UTC): every window ends at its start. */
    runHour: integer("run_hour").notNull(),
    generatedAt: text("generated_at").notNull(),
    /** How many batches of categories the run was split into (ranking_batches says which are done). */
    batches: integer("batches").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.runHour] })],
);

/** The batches of a run that are done: a run is complete when all are (a redelivered batch counts once). */
export const rankingBatches = sqliteTable(
  "ranking_batches",
  {
    platformId: text("platform_id").notNull(),
    runHour: integer("run_hour").notNull(),
    batch: integer("batch").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.runHour, t.batch] })],
);

/** The top 100 of each list of a run: rank 1 is the first. */
export const rankings = sqliteTable(
  "rankings",
  {
    platformId: text("platform_id").notNull(),
    runHour: integer("run_hour").notNull(),
    category: text("category").notNull(),
    window: text("window").notNull(),
    by: text("by").notNull(),
    rank: integer("rank").notNull(),
    productId: text("product_id").notNull(),
    units: integer("units").notNull(),
    revenue: integer("revenue").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.runHour, t.category, t.window, t.by, t.rank] }),
    index("rankings_by_product").on(t.platformId, t.runHour, t.window, t.by, t.productId),
  ],
);

/** A product entering or leaving its category's 24h top 10 (by units), for each seller that sold it. */
export const rankChanges = sqliteTable(
  "rank_changes",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    runHour: integer("run_hour").notNull(),
    category: text("category").notNull(),
    productId: text("product_id").notNull(),
    /** "entered_top10" or "left_top10". */
    change: text("change").notNull(),
    rank: integer("rank"),
    previousRank: integer("previous_rank"),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.sellerId, t.runHour, t.category, t.productId] }),
    // Those past RANK_CHANGES_RETENTION_DAYS go first (src/retention/row-sweeps.ts).
    index("rank_changes_by_run").on(t.platformId, t.runHour),
  ],
);
