/**
 * The jobs queue consumer: each message is one step of a fanned-out job, run on its own and
 * acked once its effect is stored; a failed step is retried with backoff, then dead-lettered.
 * Every step is idempotent, so a redelivery is harmless.
 */

import { rebuildSeller } from "./archive/rebuild-job.ts";
import { releaseBenchmarks } from "./benchmarks/release-job.ts";
import { runImport } from "./imports/import-job.ts";
import { retryDelaySeconds } from "./pipeline/consumer.ts";
import { type Job, jobMessageSchema } from "./queues/job-messages.ts";
import { bodyOf } from "./queues/message-body.ts";
import { rankCategories, rankPlatform } from "./rankings/ranking-job.ts";
import { notifyReports, planReports, writeDailyReports } from "./reports/report-job.ts";
import { runRetention } from "./retention/retention-job.ts";

export async function consumeJobs(batch: MessageBatch, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const job = bodyOf(message, jobMessageSchema, "jobs");
    if (!job) continue;
    try {
      await runJob(env, job, message.attempts);
      message.ack();
    } catch (error) {
      console.error("job step failed", job.job, error);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

function runJob(env: Env, job: Job, attempts: number): Promise<void> {
  switch (job.job) {
    case "rankings.platform":
      return rankPlatform(env, job);
    case "rankings.categories":
      return rankCategories(env, job);
    case "benchmarks.platform":
      return releaseBenchmarks(env, job);
    case "reports.platform":
      return planReports(env, job);
    case "reports.day":
      return writeDailyReports(env, job);
    case "reports.notify":
      return notifyReports(env, job);
    case "imports.run":
      return runImport(env, job, attempts);
    case "archive.rebuild":
      return rebuildSeller(env, job, attempts);
    case "retention.platform":
      return runRetention(env, job);
  }
}
