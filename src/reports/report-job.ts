/**
 * The daily reports job: the hourly cron asks for the previous UTC day's reports of each
 * platform, which are written once (the first run after midnight; a later run finds them), and
 * each seller in them gets a report.ready alert, through messages of NOTIFY_PER_MESSAGE sellers.
 * A day past HOURLY_RETENTION_DAYS is refused: its hourly rollups are rolled into days.
 */

import { DAY_MS } from "../metrics/counters.ts";
import { eachAtMost } from "../queues/at-most.ts";
import { type NotifyReports, sendJobs, type WriteReports } from "../queues/job-messages.ts";
import { hourlyRetentionDays } from "../retention/days.ts";
import { forgetOldReports } from "./report-retention.ts";
import { writeReports } from "./write-reports.ts";

/** Sellers per notify message: ids are at most 128 characters, a message at most 128 KB. */
const NOTIFY_PER_MESSAGE = 400;
const NOTIFY_AT_ONCE = 16;

export async function writeDailyReports(env: Env, job: WriteReports): Promise<void> {
  await forgetOldReports(env, job.platform);
  if (!job.force) {
    const written = await env.DB.prepare("SELECT COUNT(*) AS n FROM reports WHERE platform_id = ? AND date = ?")
      .bind(job.platform, job.date)
      .first<{ n: number }>();
    if ((written?.n ?? 0) > 0) return;
  }
  // The day's hourly rollups are rolled into days past the retention: a report written now would be empty.
  const keptFrom = (Math.floor(Date.now() / DAY_MS) - hourlyRetentionDays(env)) * DAY_MS;
  if (Date.parse(`${job.date}T00:00:00Z`) < keptFrom) {
    throw new Error(`the reports of ${job.date} cannot be written: its hourly rollups are past HOURLY_RETENTION_DAYS`);
  }
  const { sellers } = await writeReports(env, job.platform, job.date);
  const messages: NotifyReports[] = [];
  for (let i = 0; i < sellers.length; i += NOTIFY_PER_MESSAGE) {
    messages.push({
      job: "reports.notify",
      platform: job.platform,
      date: job.date,
      sellers: sellers.slice(i, i + NOTIFY_PER_MESSAGE),
    });
  }
  await sendJobs(env.JOBS, messages);
}

/** Raises report.ready in each seller's ledger (raised once per day: a retry adds nothing). */
export async function notifyReports(env: Env, job: NotifyReports): Promise<void> {
  const notice = {
    id: `report.ready:${job.date}`,
    type: "report.ready" as const,
    details: { date: job.date, kinds: "products,sellers" },
  };
  await eachAtMost(job.sellers, NOTIFY_AT_ONCE, async (seller) => {
    await env.LEDGER.getByName(`${job.platform}:${seller}`).notify(job.platform, seller, [notice]);
  });
}
