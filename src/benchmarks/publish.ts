/**
 * Publishing a committed run: its releases are read back from D1 and written to KV, then the
 * platform's latest-run pointer. KV only ever holds what D1 holds, so no seller can read a noise
 * draw that the privacy ledger does not account for. Idempotent: a retry writes the same values.
 */
import { epsilonValue } from "./privacy/epsilon.ts";
import { type LatestRun, latestRunKey, type ReleasedCohort, releaseKey } from "./released.ts";

interface ReleaseRow {
  release_id: string;
  period_from: string;
  period_to: string;
  released_at: string;
  level: string;
  category: string | null;
  region: string | null;
  size_band: string | null;
  sellers: number;
  epsilon_micro: number;
  delta: number;
  mechanism: string;
  metrics: string;
}

/** What D1 stores per release in `metrics`: the published bands and the noisy counts they came from. */
export interface StoredMetrics {
  published: ReleasedCohort["metrics"];
  counts: Record<string, number[]>;
}

function publishedOf(row: ReleaseRow): ReleasedCohort {
  const { published } = JSON.parse(row.metrics) as StoredMetrics;
  return {
    release_id: row.release_id,
    released_at: row.released_at,
    period: { from: row.period_from, to: row.period_to },
    cohort: {
      level: row.level,
      category: row.category,
      region: row.region,
      size_band: row.size_band,
      sellers: row.sellers,
    },
    epsilon: epsilonValue(row.epsilon_micro),
    delta: row.delta,
    mechanism: row.mechanism,
    metrics: published,
  };
}

/**
 * Writes the run ending `periodTo` to KV if it is committed and not yet published: its releases,
 * then the platform's pointer to it, then the mark that it is published. Once marked, a call
 * writes nothing (the hourly cron asks every hour); a failure before the mark is retried whole.
 */
export async function publishRun(env: Env, platform: string, periodTo: string): Promise<void> {
  const run = await env.DB.prepare(
    "SELECT period_from, released_at, published_at FROM benchmark_runs WHERE platform_id = ? AND period_to = ?",
  )
    .bind(platform, periodTo)
    .first<{ period_from: string; released_at: string; published_at: string | null }>();
  if (!run || run.published_at !== null) return;
  const { results } = await env.DB.prepare(
    "SELECT * FROM benchmark_releases WHERE platform_id = ? AND period_to = ? ORDER BY release_id",
  )
    .bind(platform, periodTo)
    .all<ReleaseRow>();
  for (const row of results) await env.KV.put(releaseKey(row.release_id), JSON.stringify(publishedOf(row)));
  const latest: LatestRun = { released_at: run.released_at, period: { from: run.period_from, to: periodTo } };
  await env.KV.put(latestRunKey(platform), JSON.stringify(latest));
  await env.DB.prepare("UPDATE benchmark_runs SET published_at = ? WHERE platform_id = ? AND period_to = ?")
    .bind(new Date().toISOString(), platform, periodTo)
    .run();
}
