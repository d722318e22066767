/**
 * What grows in R2, with the D1 rows that name it: dead letters and their copies, imports and their
 * files, and the event archive (the daily reports' own: src/reports/report-retention.ts). Each sweep deletes a batch
 * of one platform's past its retention (days.ts); the R2 objects go first, so a row is never left
 * naming nothing while its object stays unfound (a step that fails half-way is repeated whole: an
 * object already deleted deletes again as nothing). Never touches anything inside its retention.
 */
import { archivePrefix } from "../archive/archive-keys.ts";
import { importKey } from "../imports/import-upload.ts";
import { cutoffOf, ROWS_PER_STEP, type SweepStep } from "./row-sweeps.ts";

/** One platform's (null: those that name none) dead letters past the retention, copies first. */
export function deadLetterSweep(env: Env, platform: string | null, nowMs: number): SweepStep {
  const before = cutoffOf(env, "deadLetters", nowMs);
  return async () => {
    const { results } = await env.DB.prepare(
      `SELECT id, copy_key FROM dead_letters WHERE platform_id IS ?1 AND received_at < ?2 LIMIT ${ROWS_PER_STEP}`,
    )
      .bind(platform, before)
      .all<{ id: number; copy_key: string | null }>();
    if (results.length === 0) return false;
    const copies = results.flatMap((r) => (r.copy_key ? [r.copy_key] : []));
    if (copies.length > 0) await env.BUCKET.delete(copies);
    await env.DB.prepare("DELETE FROM dead_letters WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(results.map((r) => r.id)))
      .run();
    return results.length >= ROWS_PER_STEP;
  };
}

/**
 * Imports: an unfinished one as old as the files' retention ends as failed (its file is about to
 * go); a finished one's file goes after IMPORT_FILES_RETENTION_DAYS, its rows after
 * IMPORTS_RETENTION_DAYS.
 */
export function importSweeps(env: Env, platform: string, nowMs: number): SweepStep[] {
  const filesBefore = cutoffOf(env, "importFiles", nowMs);
  const rowsBefore = cutoffOf(env, "imports", nowMs);
  const endStuck: SweepStep = async () => {
    await env.DB.prepare(
      `UPDATE imports SET state = 'failed', error = 'The import did not finish before its file was deleted', finished_at = ?3
       WHERE platform_id = ?1 AND state IN ('queued', 'running') AND created_at < ?2`,
    )
      .bind(platform, filesBefore, new Date(nowMs).toISOString())
      .run();
    return false;
  };
  const files: SweepStep = async () => {
    const { results } = await env.DB.prepare(
      `SELECT import_id FROM imports WHERE platform_id = ?1 AND created_at < ?2 AND state IN ('done', 'failed')
         AND file_deleted_at IS NULL LIMIT ${ROWS_PER_STEP}`,
    )
      .bind(platform, filesBefore)
      .all<{ import_id: string }>();
    if (results.length === 0) return false;
    const ids = results.map((r) => r.import_id);
    await env.BUCKET.delete(ids.map((id) => importKey(platform, id)));
    await env.DB.prepare("UPDATE imports SET file_deleted_at = ?2 WHERE import_id IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(ids), new Date(nowMs).toISOString())
      .run();
    return ids.length >= ROWS_PER_STEP;
  };
  const rows: SweepStep = async () => {
    const { results } = await env.DB.prepare(
      `SELECT import_id FROM imports WHERE platform_id = ?1 AND created_at < ?2 AND state IN ('done', 'failed')
       LIMIT ${ROWS_PER_STEP}`,
    )
      .bind(platform, rowsBefore)
      .all<{ import_id: string }>();
    if (results.length === 0) return false;
    const ids = JSON.stringify(results.map((r) => r.import_id));
    await env.BUCKET.delete(results.map((r) => importKey(platform, r.import_id)));
    await env.DB.batch([
      env.DB.prepare("DELETE FROM import_rejections WHERE import_id IN (SELECT value FROM json_each(?1))").bind(ids),
      env.DB.prepare("DELETE FROM imports WHERE import_id IN (SELECT value FROM json_each(?1))").bind(ids),
    ]);
    return results.length >= ROWS_PER_STEP;
  };
  return [endStuck, files, rows];
}

/**
 * The event archive's objects of days past the retention: listed in key order, which is time
 * order (archive/<platform>/<YYYY-MM-DD>/...), so each step lists only what it deletes and stops at
 * the first kept day.
 */
export function archiveSweep(env: Env, platform: string, nowMs: number): SweepStep {
  const keptFrom = String(cutoffOf(env, "archive", nowMs)).slice(0, 10);
  const prefix = archivePrefix(platform);
  return async () => {
    const page = await env.BUCKET.list({ prefix, limit: 1_000 });
    const old = page.objects.map((o) => o.key).filter((key) => key.slice(prefix.length, prefix.length + 10) < keptFrom);
    if (old.length === 0) return false;
    await env.BUCKET.delete(old);
    return old.length === page.objects.length && page.truncated;
  };
}
