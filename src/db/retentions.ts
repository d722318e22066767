/**
 * How long everything that grows is kept (beyond the hourly rollups, the rankings history and
 * ignored events: src/retention/days.ts), each a wrangler.toml [vars] value in days
 * (docs/operations.md "Retention"), deleted after by the hourly retention job
 * (src/retention/row-sweeps.ts, object-sweeps.ts), the reports job (src/reports/report-retention.ts)
 * or an expiry (KV). Checked on use: a value below what a reader needs stops the job with a clear
 * error instead of deleting what that reader reads. Pure.
 */
import { z } from "zod";

const days = z.coerce.number().int().min(1).max(3660);

/** What is kept how long: its wrangler.toml variable, and the least a reader needs. */
export const RETENTIONS = {
  audit: { variable: "AUDIT_RETENTION_DAYS", min: 1 },
  /** Delivered and failed webhook deliveries (a pending one is kept), and webhooks deleted that long ago. */
  webhookDeliveries: { variable: "WEBHOOK_DELIVERIES_RETENTION_DAYS", min: 2 },
  /** Resolved alerts in D1 (an open one is kept). */
  alerts: { variable: "ALERTS_RETENTION_DAYS", min: 1 },
  /** Dead letters, replayed or not, with their copies in R2: the operator has this long to replay one. */
  deadLetters: { variable: "DEAD_LETTERS_RETENTION_DAYS", min: 5 },
  /** Finished imports' rows and rejected rows. */
  imports: { variable: "IMPORTS_RETENTION_DAYS", min: 1 },
  /** Finished imports' files in R2 (the job's input only). */
  importFiles: { variable: "IMPORT_FILES_RETENTION_DAYS", min: 1 },
  rankChanges: { variable: "RANK_CHANGES_RETENTION_DAYS", min: 1 },
  /** Categories not sold in that long (the rankings rank those sold in the last 7 days). */
  categories: { variable: "CATEGORIES_RETENTION_DAYS", min: 9 },
  /** KV top:* lists: an expiry renewed by every run that ranks the category. */
  topLists: { variable: "TOP_LISTS_RETENTION_DAYS", min: 1 },
  /** The event archive in R2 (a rebuild replays what it keeps). */
  archive: { variable: "ARCHIVE_RETENTION_DAYS", min: 1 },
  /** Daily reports: rows, seller ranges and files (a day is written again for 7 days). */
  reports: { variable: "REPORTS_RETENTION_DAYS", min: 8 },
  /** Rebuilds' rows in D1 and their records in KV. */
  rebuilds: { variable: "REBUILDS_RETENTION_DAYS", min: 1 },
  /** The daily rollups the hourly ones are rolled into. */
  dailyRollups: { variable: "DAILY_ROLLUPS_RETENTION_DAYS", min: 1 },
} as const;

export type Retained = keyof typeof RETENTIONS;

/** How many days `what` is kept: its wrangler.toml value, refused below its minimum. */
export function retentionDays(vars: object, what: Retained): number {
  const { variable, min } = RETENTIONS[what];
  const parsed = days.safeParse((vars as Record<string, unknown>)[variable]);
  if (!parsed.success || parsed.data < min) {
    throw new Error(`wrangler.toml [vars] ${variable} must be a whole number of days from ${min} to 3660`);
  }
  return parsed.data;
}
