/**
 * Rebuilding a seller from the event archive: the platform's archive is read a page of objects at
 * a time (one jobs-queue step each), the seller's events are replayed into a scratch ledger of
 * their own, and at the end its summary is set beside the live one, then the scratch ledger is
 * deleted. It changes nothing the live ledger, D1 or a webhook sees: it answers whether the live
 * ledger equals what its events make, after a loss, a corruption or a bug in a metric.
 * Progress and the result are kept in KV for REBUILDS_RETENTION_DAYS.
 */
import { ledgerName, scratchLedgerName } from "../auth/ledger-names.ts";
import { retentionDays } from "../db/retentions.ts";
import type { SellerEvent } from "../events/schema.ts";
import { DAY_MS } from "../metrics/counters.ts";
import { archivePrefix } from "./archive-keys.ts";
import { readArchived } from "./archive-read.ts";
import { endRebuild, touchRebuild } from "./rebuild-runs.ts";
import { type Difference, differences } from "./summary-compare.ts";

/** One step's job (the jobs queue's `archive.rebuild` message). */
export interface RebuildSeller {
  platform: string;
  sellerId: string;
  currency: string;
  rebuildId: string;
  /** Where the archive's listing goes on; none: from its start. */
  cursor?: string | undefined;
}

/** Objects read per step: 100 R2 reads, well inside an invocation's subrequests. */
const OBJECTS_PER_STEP = 100;

export interface Rebuild {
  rebuild_id: string;
  seller_id: string;
  state: "running" | "done" | "failed";
  objects_read: number;
  events_replayed: number;
  /** Whether the rebuilt summary equals the live one (null until done). */
  equal: boolean | null;
  differences: Difference[];
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

const stateKey = (platform: string, rebuildId: string) => `rebuild:${platform}:${rebuildId}`;
export async function readRebuild(kv: KVNamespace, platform: string, rebuildId: string): Promise<Rebuild | null> {
  return kv.get<Rebuild>(stateKey(platform, rebuildId), "json");
}

/** Kept REBUILDS_RETENTION_DAYS after it last changed (its D1 row as long: src/retention/row-sweeps.ts). */
async function save(env: Env, platform: string, rebuild: Rebuild): Promise<void> {
  const expirationTtl = (retentionDays(env, "rebuilds") * DAY_MS) / 1000;
  await env.KV.put(stateKey(platform, rebuild.rebuild_id), JSON.stringify(rebuild), { expirationTtl });
}

/** A new rebuild's id. */
export const newRebuildId = () => `rb_${crypto.randomUUID().replaceAll("-", "")}`;

/** Records a new rebuild (admitted: rebuild-runs.ts) as running; the caller sends its first step. */
export async function startRebuild(env: Env, platform: string, sellerId: string, rebuildId: string): Promise<Rebuild> {
  const rebuild: Rebuild = {
    rebuild_id: rebuildId,
    seller_id: sellerId,
    state: "running",
    objects_read: 0,
    events_replayed: 0,
    equal: null,
    differences: [],
    error: null,
    started_at: new Date().toISOString(),
    finished_at: null,
  };
  await save(env, platform, rebuild);
  return rebuild;
}

/**
 * One step: the next page of the archive into the scratch ledger. Returns the cursor of the next
 * page, or null once the rebuild is compared and done. A step repeated after a failure replays
 * the same page again, which the scratch ledger drops by event id; the counts may then run ahead.
 */
export async function rebuildStep(env: Env, job: RebuildSeller): Promise<string | null> {
  const { platform, sellerId, currency, rebuildId } = job;
  const rebuild = await readRebuild(env.KV, platform, rebuildId);
  if (rebuild?.state !== "running") return null;
  const scratch = env.LEDGER.getByName(scratchLedgerName(platform, sellerId, rebuildId));
  const page = await env.BUCKET.list({
    prefix: archivePrefix(platform),
    limit: OBJECTS_PER_STEP,
    ...(job.cursor ? { cursor: job.cursor } : {}),
  });
  const events: SellerEvent[] = [];
  for (const { key } of page.objects) {
    const batch = await readArchived(env.BUCKET, key);
    for (const event of batch?.events ?? []) if (event.seller_id === sellerId) events.push(event);
  }
  if (events.length > 0) await scratch.replay(platform, sellerId, currency, events);
  rebuild.objects_read += page.objects.length;
  rebuild.events_replayed += events.length;
  if (page.truncated) {
    await save(env, platform, rebuild);
    await touchRebuild(env.DB, rebuildId);
    return page.cursor;
  }
  const now = Date.now();
  const [live, rebuilt] = await Promise.all([
    env.LEDGER.getByName(ledgerName(platform, sellerId)).summary(sellerId, currency, now),
    scratch.summary(sellerId, currency, now),
  ]);
  // When the figures last changed is the one thing a replay cannot reproduce.
  const found = differences({ ...live, updated_at: null }, { ...rebuilt, updated_at: null });
  await scratch.discard();
  await save(env, platform, {
    ...rebuild,
    state: "done",
    equal: found.length === 0,
    differences: found,
    finished_at: new Date().toISOString(),
  });
  await endRebuild(env.DB, rebuildId, "done");
  return null;
}

/** Ends a rebuild that kept failing, saying so. */
export async function failRebuild(env: Env, job: RebuildSeller, error: string): Promise<void> {
  await endRebuild(env.DB, job.rebuildId, "failed");
  const rebuild = await readRebuild(env.KV, job.platform, job.rebuildId);
  if (!rebuild) return;
  await env.LEDGER.getByName(scratchLedgerName(job.platform, job.sellerId, job.rebuildId)).discard();
  await save(env, job.platform, { ...rebuild, state: "failed", error, finished_at: new Date().toISOString() });
}
