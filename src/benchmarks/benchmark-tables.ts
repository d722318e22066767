/**
 * Cohort benchmarks in D1: each run, the releases it made (noised figures only), where each
 * seller was placed, and the privacy ledger of what each seller's data has spent. Written only
 * by the benchmarks job; the serving code reads a seller's own placement and released rows.
 */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One run per platform and period end: a run is made once and never redrawn. */
export const benchmarkRuns = sqliteTable(
  "benchmark_runs",
  {
    platformId: text("platform_id").notNull(),
    /** The period's first and last day are whole UTC days: [period_from, period_to). */
    periodFrom: text("period_from").notNull(),
    periodTo: text("period_to").notNull(),
    releasedAt: text("released_at").notNull(),
    /** Sellers with orders in the period, and those left out because their budget could not pay for the run. */
    sellers: integer("sellers").notNull(),
    excluded: integer("excluded").notNull(),
    releases: integer("releases").notNull(),
    suppressed: integer("suppressed").notNull(),
    /** What the operator should know: why sellers were left out or suppressed. */
    note: text("note"),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.periodTo] })],
);

/** A cohort's released figures: noised counts and the quartiles read from them. */
export const benchmarkReleases = sqliteTable("benchmark_releases", {
  releaseId: text("release_id").primaryKey(),
  platformId: text("platform_id").notNull(),
  periodFrom: text("period_from").notNull(),
  periodTo: text("period_to").notNull(),
  releasedAt: text("released_at").notNull(),
  level: text("level").notNull(),
  category: text("category"),
  region: text("region"),
  sizeBand: text("size_band"),
  /** The noised number of sellers. */
  sellers: integer("sellers").notNull(),
  /** What the release cost each member, in millionths of ε. */
  epsilonMicro: integer("epsilon_micro").notNull(),
  mechanism: text("mechanism").notNull(),
  /** Per metric: the noised bin counts and the bands read from them (JSON). */
  metrics: text("metrics").notNull(),
});

/** Where a run placed each seller: its release, or why it has none. */
export const benchmarkPlacements = sqliteTable(
  "benchmark_placements",
  {
    platformId: text("platform_id").notNull(),
    periodTo: text("period_to").notNull(),
    sellerId: text("seller_id").notNull(),
    releaseId: text("release_id"),
    reason: text("reason"),
    /** What the run cost this seller, in millionths of ε. */
    epsilonMicro: integer("epsilon_micro").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.periodTo, t.sellerId] })],
);

/** The privacy ledger: ε each seller's data has spent in each budget period (a UTC calendar year). */
export const privacySpend = sqliteTable(
  "privacy_spend",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    budgetPeriod: text("budget_period").notNull(),
    epsilonMicro: integer("epsilon_micro").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.sellerId, t.budgetPeriod] })],
);
