/**
 * The jobs queue's messages: cron work fanned out so that no invocation does more than it
 * should (an invocation has 1,000 D1 queries and KV operations at most). Validated with zod on
 * arrival, like every queue message: a queue is a border too.
 */
import { z } from "zod";

const rankingRun = {
  platform: z.string(),
  /** The hour of the run (epoch hours): every window ends at its start. */
  runHour: z.int(),
  /** Until when its lists stand: the next run replaces them (ms since the epoch). */
  expiresAt: z.int(),
};

/** Rank one platform: list its categories, then fan out one message per batch of them. */
const rankPlatform = z.object({ job: z.literal("rankings.platform"), ...rankingRun });

/** Rank a batch of one platform's categories. */
const rankCategories = z.object({
  job: z.literal("rankings.categories"),
  ...rankingRun,
  /** The run before, whose ranks become previous_rank and rank changes (null: none). */
  previousRunHour: z.int().nullable(),
  /** Which batch of the run this is (from 0). */
  batch: z.int().min(0),
  categories: z.array(z.string()).min(1),
});

/** A platform's benchmarks: a release for the period ending at the start of `day` (UTC), if one is due. */
const releaseBenchmarks = z.object({
  job: z.literal("benchmarks.platform"),
  platform: z.string(),
  day: z.iso.date(),
});

/** The hourly plan of a platform's daily reports: `date` (the day before) and the week before it. */
const planReports = z.object({
  job: z.literal("reports.platform"),
  platform: z.string(),
  date: z.iso.date(),
});

/** A platform's daily reports for `date` (a UTC day), unless they are as its rollups stand. */
const writeReports = z.object({
  job: z.literal("reports.day"),
  platform: z.string(),
  date: z.iso.date(),
  /** Write again even if nothing changed (the same rollups give the same bytes, the same revision). */
  force: z.boolean().default(false),
});

/** report.ready alerts for some of the sellers in a day's report (a few hundred per message). */
const notifyReports = z.object({
  job: z.literal("reports.notify"),
  platform: z.string(),
  date: z.iso.date(),
  /** The report's revision (1 unless later events changed the day). */
  revision: z.int().min(1).optional(),
  sellers: z.array(z.string()).min(1),
});

/** The next stretch of an import, from where its last commit left off. */
const runImport = z.object({ job: z.literal("imports.run"), importId: z.string() });

/** The next page of a platform's event archive replayed into a seller's scratch ledger (src/archive/rebuild.ts). */
const rebuildSeller = z.object({
  job: z.literal("archive.rebuild"),
  platform: z.string(),
  sellerId: z.string(),
  currency: z.string(),
  rebuildId: z.string(),
  /** Where the archive's listing goes on; none: from its start. */
  cursor: z.string().optional(),
});

/** A platform's hourly rollups of days past the retention, as of `day` (UTC), rolled into daily rows (src/retention/retention-job.ts). */
const rollHourly = z.object({
  job: z.literal("retention.platform"),
  platform: z.string(),
  day: z.iso.date(),
});

export const jobMessageSchema = z.discriminatedUnion("job", [
  rankPlatform,
  rankCategories,
  releaseBenchmarks,
  planReports,
  writeReports,
  notifyReports,
  runImport,
  rebuildSeller,
  rollHourly,
]);
/** A job as sent (defaults may be left out), and as run. */
export type JobMessage = z.input<typeof jobMessageSchema>;
export type Job = z.infer<typeof jobMessageSchema>;
export type RankPlatform = z.infer<typeof rankPlatform>;
export type RankCategories = z.infer<typeof rankCategories>;
export type ReleaseBenchmarks = z.infer<typeof releaseBenchmarks>;
export type PlanReports = z.infer<typeof planReports>;
export type WriteReports = z.infer<typeof writeReports>;
export type NotifyReports = z.infer<typeof notifyReports>;
export type RunImport = z.infer<typeof runImport>;
export type RebuildSeller = z.infer<typeof rebuildSeller>;
export type RollHourly = z.infer<typeof rollHourly>;

/** Deliveries of a job message before it is dead-lettered: max_retries (wrangler.toml) + 1. */
const JOB_ATTEMPTS = 6;

/**
 * Runs one step of a long job (an import, a rebuild). A failure throws, so the queue retries the
 * step, except on the message's last delivery: then `giveUp` ends the job saying so, rather than
 * leaving it running for ever.
 */
export async function stepOrGiveUp(attempts: number, step: () => Promise<void>, giveUp: () => Promise<unknown>) {
  try {
    await step();
  } catch (error) {
    if (attempts < JOB_ATTEMPTS) throw error;
    console.error("a job step failed on its last delivery; the job ends", error);
    await giveUp();
  }
}

/** Sends job messages in batches of at most 100 (sendBatch's limit; each message is small), after `delaySeconds`. */
export async function sendJobs(queue: Queue, jobs: JobMessage[], delaySeconds = 0): Promise<void> {
  const delay = delaySeconds > 0 ? { delaySeconds } : {};
  for (let i = 0; i < jobs.length; i += 100) {
    await queue.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body, contentType: "json" as const, ...delay })));
  }
}
