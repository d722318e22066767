/**
 * The daily reports job. Every hour, for each platform, the plan (`reports.platform`) finds the days
 * to write: the day before, once (the first run after midnight, later than any ledger's flush delay
 * of a minute), and any of the 7 days before whose rollups a ledger's flush changed since its report
 * was read (day_changes, bumped in the flush's own transaction). Each such day is written by a step
 * of its own (`reports.day`): revision 1 the first time, one more each time later events changed
 * it; then report.ready is raised for the revision, to every seller in a first writing and to those
 * whose rows changed in a later one, through messages of NOTIFY_PER_MESSAGE sellers. A day past
 * HOURLY_RETENTION_DAYS is refused: its hourly rollups are rolled into days.
 */

import { ledgerName } from "../auth/ledger-names.ts";
import { DAY_MS } from "../metrics/counters.ts";
import { eachAtMost } from "../queues/at-most.ts";
import { type NotifyReports, type PlanReports, sendJobs, type WriteReports } from "../queues/job-messages.ts";
import { hourlyRetentionDays } from "../retention/days.ts";
import { forgetOldReports } from "./report-retention.ts";
import { CURRENT_DIGESTS, DAYS_AND_REPORTS, REPORT_KINDS, REVISED_FOR_DAYS, type ReportKind } from "./report-sql.ts";
import { type Digests, writeReports } from "./write-reports.ts";

/** Sellers per notify message: ids are at most 128 characters, a message at most 128 KB. */
const NOTIFY_PER_MESSAGE = 400;
const NOTIFY_AT_ONCE = 16;

const epochDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

interface DayState {
  day: number;
  /** The day's change counter now (0: never changed). */
  version: number;
  /** Its report as written: null when none. */
  revision: number | null;
  source_version: number | null;
}

/** The days whose reports are due: `date` if never written, and days of the week before it that changed since. */
export function dueDays(days: DayState[], date: string): string[] {
  const last = epochDay(date);
  return days
    .filter((d) => (d.revision === null ? d.day === last || d.version > 0 : d.version > (d.source_version ?? 0)))
    .map((d) => dateOf(d.day));
}

/** The hourly plan: old reports forgotten, then one step per day to write. */
export async function planReports(env: Env, job: PlanReports): Promise<void> {
  await forgetOldReports(env, job.platform);
  const last = epochDay(job.date);
  const { results } = await env.DB.prepare(DAYS_AND_REPORTS)
    .bind(job.platform, last - (REVISED_FOR_DAYS - 1), last)
    .all<DayState>();
  const due = dueDays(results, job.date);
  await sendJobs(
    env.JOBS,
    due.map((date) => ({ job: "reports.day", platform: job.platform, date })),
  );
}

/**
 * Writes a day's reports, unless they are as its rollups stand (a redelivered step): a new revision
 * when its rollups changed since, the same revision (the same bytes) when `force` alone asks.
 */
export async function writeDailyReports(env: Env, job: WriteReports): Promise<void> {
  // The day's hourly rollups are rolled into days past the retention: a report written now would be empty.
  const keptFrom = (Math.floor(Date.now() / DAY_MS) - hourlyRetentionDays(env)) * DAY_MS;
  if (Date.parse(`${job.date}T00:00:00Z`) < keptFrom) {
    throw new Error(`the reports of ${job.date} cannot be written: its hourly rollups are past HOURLY_RETENTION_DAYS`);
  }
  const day = epochDay(job.date);
  const [state] = (await env.DB.prepare(DAYS_AND_REPORTS).bind(job.platform, day, day).all<DayState>()).results;
  const version = state?.version ?? 0;
  const written = state?.revision ?? null;
  const changed = written === null || version > (state?.source_version ?? 0);
  if (!changed && !job.force) return;
  const revision = written === null ? 1 : changed ? written + 1 : written;
  const before = written === null ? new Map() : await digestsOf(env, job.platform, job.date);
  const { sellers, digests } = await writeReports(env, job.platform, job.date, { revision, sourceVersion: version });
  if (written !== null && !changed) return; // the same revision written again: nothing new to tell
  const told = written === null ? sellers : changedSellers(before, digests);
  const messages: NotifyReports[] = [];
  for (let i = 0; i < told.length; i += NOTIFY_PER_MESSAGE) {
    messages.push({
      job: "reports.notify",
      platform: job.platform,
      date: job.date,
      revision,
      sellers: told.slice(i, i + NOTIFY_PER_MESSAGE),
    });
  }
  await sendJobs(env.JOBS, messages);
}

/** The digests of each seller's rows in the day's reports as they stand. */
async function digestsOf(env: Env, platform: string, date: string): Promise<Digests> {
  const { results } = await env.DB.prepare(CURRENT_DIGESTS)
    .bind(platform, date)
    .all<{ seller_id: string; kind: ReportKind; digest: string | null }>();
  const digests: Digests = new Map();
  for (const r of results) digests.set(r.seller_id, { ...digests.get(r.seller_id), [r.kind]: r.digest ?? "" });
  return digests;
}

/** The sellers whose rows of some kind differ between two writings (gained, changed or lost). */
export function changedSellers(before: Digests, after: Digests): string[] {
  const sellers = new Set([...before.keys(), ...after.keys()]);
  return [...sellers].filter((s) => REPORT_KINDS.some((kind) => before.get(s)?.[kind] !== after.get(s)?.[kind])).sort();
}

/** Raises report.ready in each seller's ledger, once per day and revision (a retry adds nothing). */
export async function notifyReports(env: Env, job: NotifyReports): Promise<void> {
  const revision = job.revision ?? 1;
  const notice = {
    // The first revision keeps the id it always had; each later one is an alert of its own.
    id: revision === 1 ? `report.ready:${job.date}` : `report.ready:${job.date}:r${revision}`,
    type: "report.ready" as const,
    details: { date: job.date, kinds: "products,sellers", revision },
  };
  await eachAtMost(job.sellers, NOTIFY_AT_ONCE, async (seller) => {
    await env.LEDGER.getByName(ledgerName(job.platform, seller)).notify(job.platform, seller, [notice]);
  });
}
