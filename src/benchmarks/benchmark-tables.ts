/**
 * Cohort benchmarks in D1: each run, the releases it made (noised figures only), and where each
 * seller was placed with what the run charged it (the privacy ledger). Written only by the
 * benchmarks job; the serving code reads a seller's own placement and released rows.
 */
import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
    /** What the run charged every seller it read (millionths of ρ, zCDP), and that as (ε, δ): settings only. */
    rhoMicro: integer("rho_micro").notNull().default(0),
    epsilonMicro: integer("epsilon_micro").notNull().default(0),
    delta: real("delta").notNull().default(0),
    /** When its releases were written to KV (null: committed to D1, not yet published). */
    publishedAt: text("published_at"),
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
  /** The run's privacy loss for any one seller, (ε in millionths, δ): from the settings, never the data. */
  epsilonMicro: integer("epsilon_micro").notNull(),
  delta: real("delta").notNull().default(0),
  mechanism: text("mechanism").notNull(),
  /** Per metric: the noised bin counts, and the bands and their intervals read from them (JSON). */
  metrics: text("metrics").notNull(),
});

/**
 * Where a run placed each seller: its release, or why it has none, and what the run charged it.
 * The rows of the last 365 days are the privacy ledger: a seller's spend is the sum of their
 * charges, so they must be kept at least that long.
 */
export const benchmarkPlacements = sqliteTable(
  "benchmark_placements",
  {
    platformId: text("platform_id").notNull(),
    periodTo: text("period_to").notNull(),
    sellerId: text("seller_id").notNull(),
    releaseId: text("release_id"),
    reason: text("reason"),
    /** What the run charged this seller, in millionths of ρ (zCDP): the run's cost if its data was read, else 0. */
    rhoMicro: integer("rho_micro").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.periodTo, t.sellerId] })],
);
