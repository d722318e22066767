/**
 * The benchmarks release job: when a platform's release is due (every BENCHMARK_CADENCE_DAYS),
 * its sellers' metrics over the last BENCHMARK_PERIOD_DAYS whole UTC days are placed in cohorts
 * level by level and each cohort is released as noised histograms with quartiles and their 90%
 * intervals (src/benchmarks/run-plan.ts). Sellers whose budget over the last 365 days cannot pay
 * for the run are left out of it. A run is committed to D1 (one transaction, keyed by platform and
 * period) before anything is written to KV; a second run of the same period loses that commit and
 * only publishes the first. It is never redrawn.
 */
import { jsonChunks } from "../db/json-chunks.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";
import type { ReleaseBenchmarks } from "../queues/job-messages.ts";
import { benchmarkConfig } from "./config.ts";
import { sellerInputs } from "./inputs.ts";
import { BINS, type Metric } from "./privacy/bins.ts";
import { interval90 } from "./privacy/interval.ts";
import { byteSource } from "./privacy/random-bytes.ts";
import { windowStart } from "./privacy/rolling-budget.ts";
import { gaussianVariance, type MicroRho } from "./privacy/zcdp.ts";
import { publishRun, type StoredMetrics } from "./publish.ts";
import { type PlannedRun, planRun } from "./run-plan.ts";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The platform's step: a release if one is due for the period ending at the start of `job.day`. */
export async function releaseBenchmarks(env: Env, job: ReleaseBenchmarks): Promise<void> {
  const config = benchmarkConfig(env);
  const toMs = Date.parse(`${job.day}T00:00:00Z`);
  const period = { from: day(toMs - config.periodDays * DAY_MS), to: job.day };
  const last = await env.DB.prepare("SELECT MAX(period_to) AS period_to FROM benchmark_runs WHERE platform_id = ?")
    .bind(job.platform)
    .first<{ period_to: string | null }>();
  if (last?.period_to === period.to) return publishRun(env, job.platform, period.to); // made: make sure it is published
  if (last?.period_to && Date.parse(`${last.period_to}T00:00:00Z`) + config.cadenceDays * DAY_MS > toMs) {
    return publishRun(env, job.platform, last.period_to); // not due: the last run may still need publishing
  }

  const inputs = await sellerInputs(env.DB, job.platform, toMs / HOUR_MS - config.periodDays * 24, toMs / HOUR_MS);
  const spent = await spentWithin(env.DB, job.platform, job.day);
  const plan = planRun(inputs, spent, config, byteSource());
  const releasedAt = new Date().toISOString();
  const releases = releaseRows(plan, config.rhoMetric);
  const note = plan.excluded
    ? `${plan.excluded} sellers left out: their privacy budget for the last 365 days could not pay for a run (ε ${config.runEpsilon} at δ ${config.delta})`
    : null;
  const epsilonMicro = Math.round(config.runEpsilon * 1_000_000); // already a whole number of millionths
  const releaseIdOf = new Map(releases.map((r) => [r.cohort.key, r.id]));
  try {
    await store(env.DB, job.platform, period, releasedAt, {
      run: [
        inputs.length,
        plan.excluded,
        releases.length,
        plan.placements.filter((p) => p.cohortKey === null).length,
        note,
        config.runRho,
        epsilonMicro,
        config.delta,
      ],
      releases: releases.map((r) => [
        r.id,
        r.cohort.level,
        r.cohort.category,
        r.cohort.region,
        r.cohort.sizeBand,
        r.sellers,
        epsilonMicro,
        config.delta,
        r.mechanism,
        JSON.stringify(r.metrics),
      ]),
      placements: plan.placements.map((p) => [
        p.sellerId,
        p.cohortKey === null ? null : releaseIdOf.get(p.cohortKey)!,
        p.reason,
        p.rho,
      ]),
    });
  } catch (error) {
    // An overlapping run of the same period committed first: its draw is the one accounted for.
    const made = await env.DB.prepare("SELECT 1 AS made FROM benchmark_runs WHERE platform_id = ? AND period_to = ?")
      .bind(job.platform, period.to)
      .first();
    if (!made) throw error;
  }
  await publishRun(env, job.platform, period.to);
}

/** What each seller's data spent in the 365 days ending on `runDay` (micro-ρ), from its placements. */
async function spentWithin(db: D1Database, platform: string, runDay: string): Promise<Map<string, MicroRho>> {
  const { results } = await db
    .prepare(
      `SELECT seller_id, SUM(rho_micro) AS spent FROM benchmark_placements
       WHERE platform_id = ? AND period_to >= ? AND period_to <= ? GROUP BY seller_id HAVING SUM(rho_micro) > 0`,
    )
    .bind(platform, windowStart(runDay), runDay)
    .all<{ seller_id: string; spent: number }>();
  return new Map(results.map((r) => [r.seller_id, r.spent]));
}

/**
 * Each planned cohort's row: a random id (a run that lost the commit never writes KV, and ids it
 * drew can name nothing), the published bands with their 90% intervals, and the noisy counts.
 */
function releaseRows(plan: PlannedRun, rhoMetric: MicroRho) {
  const variance = gaussianVariance(rhoMetric);
  return plan.cohorts.map(({ cohort, release }) => {
    const stored: StoredMetrics = { published: {}, counts: {} };
    for (const [metric, m] of Object.entries(release.metrics) as [Metric, (typeof release.metrics)[Metric]][]) {
      stored.counts[metric] = m!.counts;
      const interval = m!.bands && interval90(BINS[metric], m!.counts, variance);
      if (m!.bands && interval) stored.published[metric] = { ...m!.bands, interval90: interval };
    }
    const id = [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, "0")).join("");
    return { id, cohort, sellers: release.sellers, mechanism: release.mechanism, metrics: stored };
  });
}

/** The run, its releases and the placements (the ledger's charges), in one D1 batch (one transaction). */
async function store(
  db: D1Database,
  platform: string,
  period: { from: string; to: string },
  releasedAt: string,
  rows: { run: unknown[]; releases: unknown[][]; placements: unknown[][] },
): Promise<void> {
  const each = (sql: string, list: unknown[][], ...fixed: unknown[]) =>
    jsonChunks(list).map((chunk) => db.prepare(sql).bind(...fixed, chunk));
  await db.batch([
    db
      .prepare(
        `INSERT INTO benchmark_runs (platform_id, period_from, period_to, released_at, sellers, excluded, releases,
           suppressed, note, rho_micro, epsilon_micro, delta)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)`,
      )
      .bind(platform, period.from, period.to, releasedAt, ...rows.run),
    ...each(
      `INSERT INTO benchmark_releases (release_id, platform_id, period_from, period_to, released_at, level, category,
         region, size_band, sellers, epsilon_micro, delta, mechanism, metrics)
       SELECT value ->> 0, ?1, ?2, ?3, ?4, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6,
         value ->> 7, value ->> 8, value ->> 9 FROM json_each(?5)`,
      rows.releases,
      platform,
      period.from,
      period.to,
      releasedAt,
    ),
    ...each(
      `INSERT INTO benchmark_placements (platform_id, period_to, seller_id, release_id, reason, rho_micro)
       SELECT ?1, ?2, value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?3)`,
      rows.placements,
      platform,
      period.to,
    ),
  ]);
}
