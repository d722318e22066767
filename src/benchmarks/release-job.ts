/**
 * The benchmarks release job: when a platform's release is due (every BENCHMARK_CADENCE_DAYS),
 * its sellers' metrics over the last BENCHMARK_PERIOD_DAYS whole UTC days are placed in cohorts
 * level by level and each cohort is released as noised histograms with quartiles
 * (src/benchmarks/privacy). Sellers whose budget cannot pay for a run are left out of it. A run is made
 * once per period: it is stored (D1, KV) and never redrawn; a retry finds it and only makes sure
 * it is published.
 */

import { jsonChunks } from "../db/json-chunks.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";
import type { ReleaseBenchmarks } from "../queues/job-messages.ts";
import { benchmarkConfig, worstCaseEpsilon } from "./config.ts";
import { sellerInputs } from "./inputs.ts";
import { admitReleases } from "./privacy/budget.ts";
import { cohortsOf, LEVELS } from "./privacy/cohort.ts";
import { placeByLevel } from "./privacy/cohort-placement.ts";
import { epsilonValue, type MicroEpsilon } from "./privacy/epsilon.ts";
import type { Bands } from "./privacy/quantiles.ts";
import { byteSource } from "./privacy/random-bytes.ts";
import { noisedCount, releaseCohort } from "./privacy/release.ts";
import { type LatestRun, latestRunKey, type ReleasedCohort, releaseKey } from "./released.ts";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The platform's step: a release if one is due for the period ending at the start of `job.day`. */
export async function releaseBenchmarks(env: Env, job: ReleaseBenchmarks): Promise<void> {
  const config = benchmarkConfig(env);
  const toMs = Date.parse(`${job.day}T00:00:00Z`);
  const period = { from: day(toMs - config.periodDays * DAY_MS), to: job.day };
  const last = await env.DB.prepare("SELECT MAX(period_to) AS period_to FROM benchmark_runs WHERE platform_id = ?")
    .bind(job.platform)
    .first<{ period_to: string | null }>();
  if (last?.period_to === period.to) return publishLatest(env, job.platform); // made: only make sure it is published
  if (last?.period_to && Date.parse(`${last.period_to}T00:00:00Z`) + config.cadenceDays * DAY_MS > toMs) return;

  const inputs = await sellerInputs(env.DB, job.platform, toMs / HOUR_MS - config.periodDays * 24, toMs / HOUR_MS);
  const budgetPeriod = period.to.slice(0, 4);
  const spent = await spentIn(env.DB, job.platform, budgetPeriod);
  const worst = worstCaseEpsilon(config);
  const eligible = inputs.filter((s) => (spent.get(s.sellerId) ?? 0) + worst <= config.cap);
  const excluded = inputs.length - eligible.length;

  const next = byteSource();
  const placement = placeByLevel(
    eligible.map((s) => ({ sellerId: s.sellerId, cohorts: cohortsOf(s) })),
    (count) => noisedCount(count, config.epsilonCount, next),
    config.k,
  );
  /** What a run costs a seller: the counts its data entered, and the metrics if it is released. */
  const metricsEpsilon = config.metrics.length * config.epsilonPerMetric;
  const costOf = (sellerId: string, released: boolean) =>
    placement.sellers.get(sellerId)!.counts * config.epsilonCount + (released ? metricsEpsilon : 0);
  // Every member can pay for the run (its worst case); the ledger checks again before anything is stored.
  const proposals = placement.cohorts.map((c) => ({
    id: c.cohort.key,
    members: c.members,
    epsilon: Math.max(...c.members.map((id) => costOf(id, true))),
  }));
  const decision = admitReleases(spent, proposals, config.cap);
  const admitted = new Set(decision.admitted);

  const releasedAt = new Date().toISOString();
  const valuesOf = new Map(eligible.map((s) => [s.sellerId, s.values]));
  const releases: {
    published: ReleasedCohort;
    counts: Record<string, number[]>;
    members: string[];
    epsilon: MicroEpsilon;
  }[] = [];
  for (const placed of placement.cohorts.filter((c) => admitted.has(c.cohort.key))) {
    const made = releaseCohort(
      placed.members.map((id) => valuesOf.get(id)!),
      config,
      next,
      placed.noisedSellers,
    );
    const { cohort } = placed;
    const metrics: Partial<Record<string, Bands>> = {};
    const counts: Record<string, number[]> = {};
    for (const [metric, m] of Object.entries(made.metrics)) {
      if (m.bands) metrics[metric] = m.bands;
      counts[metric] = m.counts;
    }
    const { level, category, region, sizeBand } = cohort;
    const epsilon = proposals.find((p) => p.id === cohort.key)!.epsilon;
    releases.push({
      published: {
        release_id: await releaseId(job.platform, period.to, cohort.key),
        released_at: releasedAt,
        period,
        cohort: { level, category, region, size_band: sizeBand, sellers: made.sellers },
        epsilon: epsilonValue(epsilon),
        mechanism: made.mechanism,
        metrics,
      },
      counts,
      members: placed.members,
      epsilon,
    });
  }

  const releaseOf = new Map(releases.flatMap((r) => r.members.map((id) => [id, r.published.release_id] as const)));
  const placements: [string, string | null, string | null, MicroEpsilon][] = eligible.map((s) => {
    const released = releaseOf.get(s.sellerId) ?? null;
    const placed = placement.sellers.get(s.sellerId)!.cohortKey !== null;
    const reason = released
      ? null
      : placed
        ? "the release would take a seller of the cohort past the privacy budget"
        : `no cohort level (${LEVELS.join(", ")}) has at least ${config.k} sellers (noised count)`;
    return [s.sellerId, released, reason, costOf(s.sellerId, released !== null)];
  });
  for (const s of inputs.filter((s) => !valuesOf.has(s.sellerId))) {
    placements.push([s.sellerId, null, `this seller's privacy budget for ${budgetPeriod} is spent`, 0]);
  }

  for (const r of releases) await env.KV.put(releaseKey(r.published.release_id), JSON.stringify(r.published));
  const note = [
    excluded > 0
      ? `${excluded} sellers left out: their privacy budget for ${budgetPeriod} could not pay for a run (ε ${epsilonValue(worst)})`
      : null,
    ...decision.refused.map((r) => r.reason),
  ]
    .filter(Boolean)
    .join("; ");
  await store(env.DB, job.platform, period, releasedAt, budgetPeriod, {
    run: [inputs.length, excluded, releases.length, placements.filter((p) => p[1] === null).length, note || null],
    releases: releases.map(({ published: r, counts, epsilon }) => [
      r.release_id,
      r.cohort.level,
      r.cohort.category,
      r.cohort.region,
      r.cohort.size_band,
      r.cohort.sellers,
      epsilon,
      r.mechanism,
      JSON.stringify({ bands: r.metrics, counts }),
    ]),
    placements,
  });
  await publishLatest(env, job.platform);
}

/** What each seller has spent in the budget period (micro-ε). */
async function spentIn(db: D1Database, platform: string, budgetPeriod: string): Promise<Map<string, MicroEpsilon>> {
  const { results } = await db
    .prepare("SELECT seller_id, epsilon_micro FROM privacy_spend WHERE platform_id = ? AND budget_period = ?")
    .bind(platform, budgetPeriod)
    .all<{ seller_id: string; epsilon_micro: number }>();
  return new Map(results.map((r) => [r.seller_id, r.epsilon_micro]));
}

/** A stable id for a cohort's release of a period (KV keys are short; cohort keys may not be). */
async function releaseId(platform: string, periodTo: string, cohortKey: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(JSON.stringify([platform, periodTo, cohortKey])),
  );
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The run, its releases, the placements and the sellers' spending, in one D1 batch (one transaction). */
async function store(
  db: D1Database,
  platform: string,
  period: { from: string; to: string },
  releasedAt: string,
  budgetPeriod: string,
  rows: { run: unknown[]; releases: unknown[][]; placements: unknown[][] },
): Promise<void> {
  const spend = rows.placements.filter((p) => (p[3] as number) > 0).map((p) => [p[0], p[3]]);
  const each = (sql: string, list: unknown[][], ...fixed: unknown[]) =>
    jsonChunks(list).map((chunk) => db.prepare(sql).bind(...fixed, chunk));
  await db.batch([
    db
      .prepare(
        `INSERT INTO benchmark_runs (platform_id, period_from, period_to, released_at, sellers, excluded, releases, suppressed, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
      )
      .bind(platform, period.from, period.to, releasedAt, ...rows.run),
    ...each(
      `INSERT INTO benchmark_releases (release_id, platform_id, period_from, period_to, released_at, level, category,
         region, size_band, sellers, epsilon_micro, mechanism, metrics)
       SELECT value ->> 0, ?1, ?2, ?3, ?4, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6,
         value ->> 7, value ->> 8 FROM json_each(?5)`,
      rows.releases,
      platform,
      period.from,
      period.to,
      releasedAt,
    ),
    ...each(
      `INSERT INTO benchmark_placements (platform_id, period_to, seller_id, release_id, reason, epsilon_micro)
       SELECT ?1, ?2, value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?3)`,
      rows.placements,
      platform,
      period.to,
    ),
    ...each(
      `INSERT INTO privacy_spend (platform_id, seller_id, budget_period, epsilon_micro)
       SELECT ?1, value ->> 0, ?2, value ->> 1 FROM json_each(?3) WHERE true
       ON CONFLICT (platform_id, seller_id, budget_period) DO UPDATE SET epsilon_micro = epsilon_micro + excluded.epsilon_micro`,
      spend,
      platform,
      budgetPeriod,
    ),
  ]);
}

/** Points KV at the platform's latest stored run (idempotent: a retry after a failure re-points it). */
async function publishLatest(env: Env, platform: string): Promise<void> {
  const run = await env.DB.prepare(
    "SELECT period_from, period_to, released_at FROM benchmark_runs WHERE platform_id = ? ORDER BY period_to DESC LIMIT 1",
  )
    .bind(platform)
    .first<{ period_from: string; period_to: string; released_at: string }>();
  if (!run) return;
  const latest: LatestRun = { released_at: run.released_at, period: { from: run.period_from, to: run.period_to } };
  await env.KV.put(latestRunKey(platform), JSON.stringify(latest));
}
