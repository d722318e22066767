/**
 * The categories that have a ranking, as the public picker reads them: written to KV (one key per
 * platform, replaced by each run) by the batch that completes a run, from that run's lists in D1.
 * Names categories only, like the rankings themselves.
 */
import { etagOf } from "./published.ts";

export interface CategoriesBody {
  categories: { category: string; generated_at: string }[];
}

/** What KV holds: the body, its ETag, and until when it stands (ms since the epoch). */
export interface PublishedCategories {
  etag: string;
  expiresAt: number;
  body: CategoriesBody;
}

export const categoriesKey = (platform: string) => `top-categories:${platform}`;

/** Whether every batch of the run is done (?1 platform, ?2 run hour): only then are its lists all in D1. */
const RUN_COMPLETE = `
  SELECT r.batches <= (SELECT COUNT(*) FROM ranking_batches b WHERE b.platform_id = ?1 AND b.run_hour = ?2) AS complete
  FROM ranking_runs r WHERE r.platform_id = ?1 AND r.run_hour = ?2`;
/** The categories with at least one product in some list of the run. */
const RANKED = "SELECT DISTINCT category FROM rankings WHERE platform_id = ?1 AND run_hour = ?2 ORDER BY category";

/**
 * Publishes the run's categories once its last batch is done. Two batches finishing at once may
 * both publish: the same list, so either write is right.
 */
export async function publishCategoriesIfComplete(
  env: Env,
  run: { platform: string; runHour: number; generatedAt: string; expiresAt: number },
): Promise<void> {
  const done = await env.DB.prepare(RUN_COMPLETE).bind(run.platform, run.runHour).first<{ complete: number }>();
  if (!done?.complete) return;
  const { results } = await env.DB.prepare(RANKED).bind(run.platform, run.runHour).all<{ category: string }>();
  await publishCategories(
    env.KV,
    run,
    results.map((r) => r.category),
  );
}

export async function publishCategories(
  kv: KVNamespace,
  run: { platform: string; generatedAt: string; expiresAt: number },
  categories: string[],
): Promise<void> {
  const body: CategoriesBody = {
    categories: categories.map((category) => ({ category, generated_at: run.generatedAt })),
  };
  const published: PublishedCategories = { etag: await etagOf(body), expiresAt: run.expiresAt, body };
  await kv.put(categoriesKey(run.platform), JSON.stringify(published));
}
