/**
 * When a platform's thresholds change, every ledger of the platform judges its seller by them at
 * once, not at its next change or midnight: the list of sellers is walked a page at a time, and
 * each page handed out as messages of a hundred sellers, which the queue runs side by side. Each
 * judge step reads the thresholds now in D1 (the latest, whatever message it is), so steps that
 * run late or twice change nothing a newer one did.
 */

import { eachAtMost } from "../queues/at-most.ts";
import { type ApplyThresholds, type JudgeThresholds, sendJobs } from "../queues/job-messages.ts";
import { platformThresholds } from "./platform-thresholds.ts";

/** Seller ids read per apply step (a few dozen KB), handed out in messages of SELLERS_PER_JUDGE. */
const SELLERS_PER_PAGE = 2_000;
const SELLERS_PER_JUDGE = 100;
/** Ledger calls in flight at once within a judge step. */
const JUDGE_AT_ONCE = 10;

/**
 * Every seller with a ledger: those the flush has written (sellers) and those ingest has admitted
 * (platform_sellers: before their first flush, and possibly before their ledger exists).
 */
const SELLERS_AFTER = `
  SELECT seller_id FROM sellers WHERE platform_id = ?1 AND seller_id > ?2
  UNION SELECT seller_id FROM platform_sellers WHERE platform_id = ?1 AND seller_id > ?2
  ORDER BY seller_id LIMIT ?3`;

export async function applyThresholds(env: Env, job: ApplyThresholds): Promise<void> {
  const { results } = await env.DB.prepare(SELLERS_AFTER)
    .bind(job.platform, job.after ?? "", SELLERS_PER_PAGE)
    .all<{ seller_id: string }>();
  const sellers = results.map((r) => r.seller_id);
  const judges = [];
  for (let i = 0; i < sellers.length; i += SELLERS_PER_JUDGE) {
    judges.push({
      job: "thresholds.judge" as const,
      platform: job.platform,
      sellers: sellers.slice(i, i + SELLERS_PER_JUDGE),
    });
  }
  const next =
    sellers.length === SELLERS_PER_PAGE
      ? [{ job: "thresholds.apply" as const, platform: job.platform, after: sellers.at(-1) }]
      : [];
  await sendJobs(env.JOBS, [...judges, ...next]);
}

export async function judgeThresholds(env: Env, job: JudgeThresholds): Promise<void> {
  const { thresholds, updatedAt } = await platformThresholds(env.DB, job.platform);
  await eachAtMost(job.sellers, JUDGE_AT_ONCE, async (seller) => {
    await env.LEDGER.getByName(`${job.platform}:${seller}`).judge(job.platform, seller, thresholds, updatedAt ?? "");
  });
}
