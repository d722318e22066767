/**
 * The daily reports of days past REPORTS_RETENTION_DAYS: their seller ranges, files and rows,
 * deleted by the hourly reports job, a batch at a time. Files go before their rows, so a row never
 * outlives its file unnoticed (a repeated step deletes nothing twice). Never touches a day inside
 * the retention.
 */
import { DAY_MS } from "../metrics/counters.ts";
import { cutoffOf, type SweepStep } from "../retention/row-sweeps.ts";
import { reportKey } from "./report-key.ts";
import { REPORT_KINDS, REVISED_FOR_DAYS } from "./report-sql.ts";

/** Report dates per step (each two files and their ranges); seller ranges deleted per statement. */
const DATES_PER_STEP = 50;
const RANGES_PER_STEP = 5_000;
/** Steps per run of the job: it runs hourly, so a backlog goes within hours. */
const STEPS_PER_RUN = 20;

/**
 * Daily reports of days past the retention: their seller ranges a batch at a time, then, for days
 * with none left, the files and the rows.
 */
function reportSweep(env: Env, platform: string, nowMs: number): SweepStep {
  const before = String(cutoffOf(env, "reports", nowMs)).slice(0, 10);
  return async () => {
    const ranges = await env.DB.prepare(
      `DELETE FROM report_ranges WHERE rowid IN (
         SELECT rowid FROM report_ranges WHERE platform_id = ?1 AND date < ?2 LIMIT ${RANGES_PER_STEP})`,
    )
      .bind(platform, before)
      .run();
    if (ranges.meta.changes >= RANGES_PER_STEP) return true;
    const { results } = await env.DB.prepare(
      `SELECT DISTINCT date FROM reports WHERE platform_id = ?1 AND date < ?2 ORDER BY date LIMIT ${DATES_PER_STEP}`,
    )
      .bind(platform, before)
      .all<{ date: string }>();
    if (results.length === 0) return false;
    const dates = results.map((r) => r.date);
    await env.BUCKET.delete(dates.flatMap((date) => REPORT_KINDS.map((kind) => reportKey(platform, date, kind))));
    await env.DB.prepare("DELETE FROM reports WHERE platform_id = ?1 AND date IN (SELECT value FROM json_each(?2))")
      .bind(platform, JSON.stringify(dates))
      .run();
    return dates.length >= DATES_PER_STEP;
  };
}

/**
 * Deletes what is past the retention, up to STEPS_PER_RUN steps, and the change counters of days no
 * longer written again (day_changes, a row per platform and day).
 */
export async function forgetOldReports(env: Env, platform: string, nowMs = Date.now()): Promise<void> {
  const step = reportSweep(env, platform, nowMs);
  for (let i = 0; i < STEPS_PER_RUN && (await step()); i++) {}
  const lastRevised = Math.floor(nowMs / DAY_MS) - REVISED_FOR_DAYS - 1;
  await env.DB.prepare("DELETE FROM day_changes WHERE platform_id = ? AND day < ?").bind(platform, lastRevised).run();
}
