/**
 * The hourly cron: for every platform, one message for each hourly job (the rankings; the
 * benchmarks, which release only when one is due; the reports' plan, which writes the previous day's
 * once and again any of the week before that later events changed; the
 * retention, which finds something to roll once a day). The work itself happens in the jobs
 * queue's consumer, an invocation per step.
 */
import { DAY_MS } from "./metrics/counters.ts";
import { type JobMessage, sendJobs } from "./queues/job-messages.ts";
import { rankingRun } from "./rankings/ranking-job.ts";

export async function startHourlyJobs(env: Env, scheduledTime: number, cron: string): Promise<void> {
  const run = rankingRun(scheduledTime, cron);
  const day = new Date(scheduledTime).toISOString().slice(0, 10);
  const yesterday = new Date(scheduledTime - DAY_MS).toISOString().slice(0, 10);
  const { results } = await env.DB.prepare("SELECT id FROM platforms ORDER BY id").all<{ id: string }>();
  await sendJobs(
    env.JOBS,
    results.flatMap(({ id }): JobMessage[] => [
      { job: "rankings.platform", platform: id, ...run },
      { job: "benchmarks.platform", platform: id, day },
      { job: "reports.platform", platform: id, date: yesterday },
      { job: "retention.platform", platform: id, day },
    ]),
  );
}
