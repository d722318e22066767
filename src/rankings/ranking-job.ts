/**
 * The hourly rankings job: per platform and category, the top products by units and by revenue
 * over the last 1, 24 and 168 whole hours, from the rollups the ledgers flush to D1. Each run
 * keeps its lists in D1 (history: previous ranks, rank changes) and publishes them to KV, where
 * the public read finds them ready to send. Fanned out over the jobs queue: the cron names the
 * platforms, each platform's message its batches of categories, each batch ranks its own.
 * A run is a function of D1 and its hour: running it twice in an hour writes the same values.
 */

import type { Notice } from "../alerts/alert-types.ts";
import { retentionDays } from "../db/retentions.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";
import { eachAtMost } from "../queues/at-most.ts";
import { etagOf, type LastRun, lastRunKey, type PublishedRanking, rankingKey, topProductsBody } from "./published.ts";
import { hourIso, RANKING_ORDERS, RANKING_WINDOWS } from "./windows.ts";

const LISTS = RANKING_WINDOWS.flatMap((w) => RANKING_ORDERS.map((by) => [w, by] as const));
const DAY_S = DAY_MS / 1000;

import { ledgerName } from "../auth/ledger-names.ts";
import { type RankCategories, type RankPlatform, sendJobs } from "../queues/job-messages.ts";
import {
  ACTIVE_CATEGORIES,
  BATCH_DONE,
  listOf,
  PREVIOUS_RUN,
  RANK_CATEGORY,
  RANKED_CATEGORIES,
  type RankedProduct,
  RECORD_CHANGES,
  REPLACE_LISTS,
  SELLERS_OF,
  START_RUN,
  TOP_TEN,
} from "./ranking-sql.ts";

/** A rank change of one seller's product: [seller, product, change, rank, previous rank]. */
type Change = [seller: string, product: string, change: string, rank: number | null, previousRank: number | null];

/** Ledger calls in flight at once when a batch tells sellers of their rank changes. */
const NOTIFY_AT_ONCE = 16;

/**
 * Categories per batch message: each costs a few D1 queries and six KV writes, so a batch stays
 * well inside an invocation's 1,000 D1 queries and KV operations.
 */
const CATEGORIES_PER_BATCH = 25;

/** How long after the next run's scheduled time its lists may still be on their way. */
const PUBLISH_MARGIN_MS = 5 * 60_000;

/** The run a cron firing makes: its hour, and until when its lists stand (the next firing, an hour on). */
export function rankingRun(scheduledTime: number, cron: string): { runHour: number; expiresAt: number } {
  const runHour = Math.floor(scheduledTime / HOUR_MS);
  const minute = Number(/^(\d+) /.exec(cron)?.[1] ?? 0);
  return { runHour, expiresAt: (runHour + 1) * HOUR_MS + minute * 60_000 + PUBLISH_MARGIN_MS };
}

/** A platform's step: the categories to rank (sold in this week, or ranked last run), in batches. */
export async function rankPlatform(env: Env, job: RankPlatform): Promise<void> {
  const { platform, runHour, expiresAt } = job;
  const previous = await env.DB.prepare(PREVIOUS_RUN).bind(platform, runHour).first<{ run_hour: number | null }>();
  const previousRunHour = previous?.run_hour ?? null;
  const [active, ranked] = await env.DB.batch<{ category: string }>([
    env.DB.prepare(ACTIVE_CATEGORIES).bind(platform, runHour),
    env.DB.prepare(RANKED_CATEGORIES).bind(platform, previousRunHour),
  ]);
  const categories = [...new Set([...active!.results, ...ranked!.results].map((r) => r.category))].sort();
  const batches: string[][] = [];
  for (let i = 0; i < categories.length; i += CATEGORIES_PER_BATCH) {
    batches.push(categories.slice(i, i + CATEGORIES_PER_BATCH));
  }
  const generatedAt = hourIso(runHour);
  await env.DB.batch(
    START_RUN.map((q, i) =>
      env.DB.prepare(q).bind(platform, runHour, ...(i === 0 ? [generatedAt, batches.length] : [])),
    ),
  );
  const lastRun: LastRun = { runHour, generatedAt, expiresAt };
  await env.KV.put(lastRunKey(platform), JSON.stringify(lastRun));
  await sendJobs(
    env.JOBS,
    batches.map((batch, i) => ({
      job: "rankings.categories",
      platform,
      runHour,
      expiresAt,
      previousRunHour,
      batch: i,
      categories: batch,
    })),
  );
}

/** A batch's step: each category ranked, published and kept; then the batch is marked done. */
export async function rankCategories(env: Env, job: RankCategories): Promise<void> {
  for (const category of job.categories) await rankCategory(env, job, category);
  await env.DB.prepare(BATCH_DONE).bind(job.platform, job.runHour, job.batch).run();
}

async function rankCategory(env: Env, job: RankCategories, category: string): Promise<void> {
  const { platform, runHour, previousRunHour } = job;
  const { results: rows } = await env.DB.prepare(RANK_CATEGORY).bind(platform, category, runHour).all<RankedProduct>();
  await publish(env, job, category, rows);
  const changes =
    previousRunHour === null ? [] : await rankChanges(env, platform, category, runHour, previousRunHour, rows);
  const listed = JSON.stringify(
    LISTS.flatMap(([w, by]) =>
      listOf(rows, w, by).map((r, i) => [w, by, i + 1, r.product_id, r[`units_${w}`], r[`revenue_${w}`]]),
    ),
  );
  await env.DB.batch([
    ...REPLACE_LISTS.map((q, i) => env.DB.prepare(q).bind(platform, runHour, category, ...(i === 1 ? [listed] : []))),
    ...(changes.length > 0
      ? [env.DB.prepare(RECORD_CHANGES).bind(platform, runHour, category, JSON.stringify(changes))]
      : []),
  ]);
  await notifySellers(env, job, category, changes);
}

/**
 * Writes the category's six lists to KV, as the public read sends them (products only). Each
 * expires TOP_LISTS_RETENTION_DAYS after it was written: a category ranked again is written again,
 * and one no longer ranked leaves nothing behind.
 */
async function publish(env: Env, job: RankCategories, category: string, rows: RankedProduct[]): Promise<void> {
  const expirationTtl = retentionDays(env, "topLists") * DAY_S;
  for (const [window, by] of LISTS) {
    const productIds = listOf(rows, window, by).map((r) => r.product_id);
    const generatedAt = hourIso(job.runHour);
    const body = topProductsBody({
      platform: job.platform,
      category,
      window,
      by,
      runHour: job.runHour,
      generatedAt,
      productIds,
    });
    const published: PublishedRanking = { etag: await etagOf(body), expiresAt: job.expiresAt, body };
    await env.KV.put(rankingKey(job.platform, window, by, category), JSON.stringify(published), { expirationTtl });
  }
}

/**
 * The products that entered or left the category's 24h top 10 (by units) since the run before,
 * for each seller that sold one of them in the last two days: [seller, product, change, rank, previous rank].
 */
async function rankChanges(
  env: Env,
  platform: string,
  category: string,
  runHour: number,
  previousRunHour: number,
  rows: RankedProduct[],
): Promise<Change[]> {
  const now = new Map(
    listOf(rows, "24h", "units")
      .slice(0, 10)
      .map((r, i) => [r.product_id, i + 1]),
  );
  const { results } = await env.DB.prepare(TOP_TEN)
    .bind(platform, previousRunHour, category)
    .all<{ product_id: string; rank: number }>();
  const before = new Map(results.map((r) => [r.product_id, r.rank]));
  const changed = [...new Set([...now.keys(), ...before.keys()])].filter((p) => now.has(p) !== before.has(p));
  if (changed.length === 0) return [];
  const { results: sellers } = await env.DB.prepare(SELLERS_OF)
    .bind(platform, category, runHour, JSON.stringify(changed))
    .all<{ seller_id: string; product_id: string }>();
  return sellers.map(({ seller_id, product_id }) => [
    seller_id,
    product_id,
    now.has(product_id) ? "entered_top10" : "left_top10",
    now.get(product_id) ?? null,
    before.get(product_id) ?? null,
  ]);
}

/** Raises each change as an informational alert in its seller's ledger (raised once: a retry adds nothing). */
async function notifySellers(env: Env, job: RankCategories, category: string, changes: Change[]): Promise<void> {
  const bySeller = new Map<string, Notice[]>();
  for (const [seller, product, change, rank, previousRank] of changes) {
    const type = change === "entered_top10" ? "rank.entered_top10" : "rank.left_top10";
    const notices = bySeller.get(seller) ?? [];
    notices.push({
      id: `${type}:${category}:${product}:${hourIso(job.runHour)}`,
      type,
      details: { product_id: product, category, window: "24h", rank, previous_rank: previousRank },
    });
    bySeller.set(seller, notices);
  }
  await eachAtMost([...bySeller], NOTIFY_AT_ONCE, async ([seller, notices]) => {
    await env.LEDGER.getByName(ledgerName(job.platform, seller)).notify(job.platform, seller, notices);
  });
}
