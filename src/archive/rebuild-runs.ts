/**
 * The rebuilds a platform runs at once, against its rebuilds_at_once allowance (each reads the
 * platform's whole archive): a rebuild is admitted by the insert of its row, which counts the
 * running ones itself, so two starts at once cannot both take the last place. A running row whose
 * last step is over STALE_MS old no longer counts: its job was lost, and its place is free.
 */
import { HOUR_MS } from "../metrics/counters.ts";

const STALE_MS = HOUR_MS;

/** Records a rebuild as running if the platform runs fewer than `max`; whether it was admitted. */
export async function admitRebuild(
  db: D1Database,
  args: { platform: string; sellerId: string; rebuildId: string; max: number; nowMs?: number },
): Promise<boolean> {
  const nowMs = args.nowMs ?? Date.now();
  const now = new Date(nowMs).toISOString();
  const { meta } = await db
    .prepare(
      `INSERT INTO rebuild_runs (rebuild_id, platform_id, seller_id, state, started_at, updated_at)
       SELECT ?1, ?2, ?3, 'running', ?4, ?4
       WHERE (SELECT COUNT(*) FROM rebuild_runs WHERE platform_id = ?2 AND state = 'running' AND updated_at > ?5) < ?6`,
    )
    .bind(args.rebuildId, args.platform, args.sellerId, now, new Date(nowMs - STALE_MS).toISOString(), args.max)
    .run();
  return meta.changes > 0;
}

/** A step ran: the rebuild is alive. */
export async function touchRebuild(db: D1Database, rebuildId: string): Promise<void> {
  await db
    .prepare("UPDATE rebuild_runs SET updated_at = ? WHERE rebuild_id = ? AND state = 'running'")
    .bind(new Date().toISOString(), rebuildId)
    .run();
}

/** The rebuild ended: its place is free. */
export async function endRebuild(db: D1Database, rebuildId: string, state: "done" | "failed"): Promise<void> {
  await db
    .prepare("UPDATE rebuild_runs SET state = ?, updated_at = ? WHERE rebuild_id = ?")
    .bind(state, new Date().toISOString(), rebuildId)
    .run();
}
