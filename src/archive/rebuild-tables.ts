/**
 * The rebuilds started, in D1, so that a platform runs at most its allowance of them at once
 * (their progress and result are in KV: rebuild.ts).
 */
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One row per rebuild: `running` until it ends (`done` or `failed`). A running one whose last step
 * is over an hour old no longer counts against the allowance: its job was lost.
 */
export const rebuildRuns = sqliteTable(
  "rebuild_runs",
  {
    rebuildId: text("rebuild_id").primaryKey(),
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    state: text("state").notNull(),
    startedAt: text("started_at").notNull(),
    /** When a step last ran (or it started). */
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("rebuild_runs_by_state").on(t.platformId, t.state, t.updatedAt)],
);
