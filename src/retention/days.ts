/**
 * How long what grows is kept, from wrangler.toml's [vars]: D1's hourly rollups
 * (HOURLY_RETENTION_DAYS, rolled into daily rows after: src/retention/retention-job.ts), the rankings
 * history (RANKINGS_HISTORY_DAYS, deleted after) and a ledger's ignored events
 * (IGNORED_EVENTS_RETENTION_DAYS: src/ledger/ignored-retention.ts). Checked on use:
 * a retention shorter than a reader of the hourly rows needs stops the job with a clear error
 * instead of deleting what that reader reads.
 */
import { z } from "zod";
import { WINDOWS } from "../rankings/windows.ts";

const days = z.coerce.number().int().min(1).max(3660);

/**
 * The operator's overview reads the last 30 days and the 30 before them (src/ops/overview.ts).
 */
const OVERVIEW_DAYS = 60;

/**
 * The fewest days the hourly rows must be kept: the benchmarks read the last BENCHMARK_PERIOD_DAYS
 * whole days before the day they run, the rankings the last 168 hours (the sellers to tell, the
 * last 48), the reports the day before, the overview OVERVIEW_DAYS; two days more, so that a job
 * retried a day late still finds its hours.
 */
export function minimumRetentionDays(benchmarkPeriodDays: number): number {
  return Math.max(benchmarkPeriodDays, Math.ceil(WINDOWS["7d"] / 24), OVERVIEW_DAYS) + 2;
}

/** HOURLY_RETENTION_DAYS, refused when a reader of the hourly rows needs more. */
export function hourlyRetentionDays(vars: { HOURLY_RETENTION_DAYS: string; BENCHMARK_PERIOD_DAYS: string }): number {
  const retention = days.parse(vars.HOURLY_RETENTION_DAYS);
  const needed = minimumRetentionDays(days.parse(vars.BENCHMARK_PERIOD_DAYS));
  if (retention < needed) {
    throw new Error(`HOURLY_RETENTION_DAYS is ${retention}: the readers of the hourly rollups need ${needed} at least`);
  }
  return retention;
}

export function ignoredRetentionDays(vars: { IGNORED_EVENTS_RETENTION_DAYS: string }): number {
  return days.parse(vars.IGNORED_EVENTS_RETENTION_DAYS);
}

/**
 * RANKINGS_HISTORY_DAYS: the rankings read back only the platform's last two complete runs (a
 * seller's ranks and their changes) and the run before a new one; two days keep those through a
 * day of failed runs.
 */
export function rankingsHistoryDays(vars: { RANKINGS_HISTORY_DAYS: string }): number {
  return days.min(2).parse(vars.RANKINGS_HISTORY_DAYS);
}
