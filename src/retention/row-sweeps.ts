/**
 * The D1 tables that grow with time and hold nothing in R2: each sweep deletes, for one platform, a
 * batch of rows past their retention (days.ts), oldest first through an index that starts with the
 * platform and the time, so a step reads what it deletes and no more. Never deletes a row inside its
 * retention, an open alert, or another platform's rows.
 */

import { type Retained, retentionDays } from "../db/retentions.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";

/** Rows deleted per statement. */
export const ROWS_PER_STEP = 1_000;

/** How a sweep's cutoff is written: as its time column holds time. */
type Cutoff = "iso" | "epochHour" | "epochDay";

interface RowSweep {
  retained: Retained;
  cutoff: Cutoff;
  /** ?1 platform, ?2 the cutoff (rows before it go): at most ROWS_PER_STEP rows. */
  sql: string;
}

const batchOf = (table: string, where: string) =>
  `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE platform_id = ?1 AND ${where} LIMIT ${ROWS_PER_STEP})`;

const ROW_SWEEPS: RowSweep[] = [
  { retained: "audit", cutoff: "iso", sql: batchOf("audit", "at < ?2") },
  {
    // Any status: a delivery is retried for 25 hours, so one this old is settled or stuck.
    retained: "webhookDeliveries",
    cutoff: "iso",
    sql: batchOf("webhook_deliveries", "status IN ('pending', 'delivered', 'failed') AND created_at < ?2"),
  },
  {
    retained: "webhookDeliveries",
    cutoff: "iso",
    sql: batchOf("webhooks", "deleted_at IS NOT NULL AND deleted_at < ?2"),
  },
  { retained: "alerts", cutoff: "iso", sql: batchOf("alerts", "status = 'resolved' AND resolved_at < ?2") },
  { retained: "rankChanges", cutoff: "epochHour", sql: batchOf("rank_changes", "run_hour < ?2") },
  { retained: "categories", cutoff: "epochHour", sql: batchOf("categories", "last_hour < ?2") },
  {
    // A running one this old was lost long ago (its place freed after an hour).
    retained: "rebuilds",
    cutoff: "iso",
    sql: batchOf("rebuild_runs", "state IN ('running', 'done', 'failed') AND updated_at < ?2"),
  },
  { retained: "dailyRollups", cutoff: "epochDay", sql: batchOf("seller_daily", "day < ?2") },
  { retained: "dailyRollups", cutoff: "epochDay", sql: batchOf("product_daily", "day < ?2") },
  { retained: "dailyRollups", cutoff: "epochDay", sql: batchOf("ship_daily", "day < ?2") },
];

/** The time before which `retained` goes, as of `nowMs`, in the form `cutoff` names. */
export function cutoffOf(vars: object, retained: Retained, nowMs: number, cutoff: Cutoff = "iso"): string | number {
  const keptFromMs = nowMs - retentionDays(vars, retained) * DAY_MS;
  if (cutoff === "epochHour") return Math.floor(keptFromMs / HOUR_MS);
  if (cutoff === "epochDay") return Math.floor(keptFromMs / DAY_MS);
  return new Date(keptFromMs).toISOString();
}

/** A step of a sweep: true when it deleted a full batch (there may be more). */
export type SweepStep = () => Promise<boolean>;

/** The row sweeps of a platform as of `nowMs`, each a step to repeat until it returns false. */
export function rowSweeps(env: Env, platform: string, nowMs: number): SweepStep[] {
  return ROW_SWEEPS.map(({ retained, cutoff, sql }) => {
    const before = cutoffOf(env, retained, nowMs, cutoff);
    return async () => {
      const { meta } = await env.DB.prepare(sql).bind(platform, before).run();
      return meta.changes >= ROWS_PER_STEP;
    };
  });
}
