/**
 * Imports in D1: each uploaded file (the file itself is in R2) with how far the job has gone, and
 * the first rejected rows of each.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * An uploaded file of events (imports/<platform>/<import id>) and the job's progress through it:
 * `offset` and `line` are where the next chunk starts (bytes, and the 1-based line it is on),
 * committed with the counts after each chunk, so a retry resumes there.
 */
export const imports = sqliteTable(
  "imports",
  {
    importId: text("import_id").primaryKey(),
    platformId: text("platform_id").notNull(),
    format: text("format").notNull(),
    /** The CSV's columns, in the file's order (JSON array); null for NDJSON. */
    columns: text("columns"),
    bytes: integer("bytes").notNull(),
    state: text("state").notNull(),
    rowsTotal: integer("rows_total").notNull(),
    rowsDone: integer("rows_done").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    offset: integer("offset").notNull().default(0),
    line: integer("line").notNull().default(1),
    error: text("error"),
    createdAt: text("created_at").notNull(),
    finishedAt: text("finished_at"),
    /** When the retention deleted its file from R2 (IMPORT_FILES_RETENTION_DAYS after it was made). */
    fileDeletedAt: text("file_deleted_at"),
  },
  (t) => [
    index("imports_by_platform").on(t.platformId, t.createdAt),
    // The imports queued or running, counted against the platform's imports_at_once.
    index("imports_by_state").on(t.platformId, t.state),
  ],
);

/** The first rejected rows of an import (at most 100 are kept), by line. */
export const importRejections = sqliteTable(
  "import_rejections",
  {
    importId: text("import_id").notNull(),
    line: integer("line").notNull(),
    errors: text("errors").notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
);
