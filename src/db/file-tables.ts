/**
 * What lives in R2, as D1 knows it: the daily reports written, the imports and how far each has
 * gone, and the rebuilds of a ledger from the event archive. The files themselves are in R2.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One CSV per platform, UTC day and kind (products, sellers), at reports/<platform>/<date>/<kind>.csv. */
export const reports = sqliteTable(
  "reports",
  {
    platformId: text("platform_id").notNull(),
    date: text("date").notNull(),
    kind: text("kind").notNull(),
    rows: integer("rows").notNull(),
    bytes: integer("bytes").notNull(),
    writtenAt: text("written_at").notNull(),
    /**
     * Which writing of the file this is (also in the R2 object's custom metadata): the seller
     * ranges of report_ranges belong to one. Null for a file written before ranges were kept.
     */
    generation: text("generation"),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.date, t.kind] })],
);

/**
 * Where each seller's rows are in a report's file (rows are sorted by seller, so a seller's are
 * one run of bytes): a seller's session is served its own rows by its exact id, never by reading
 * the cells, whose escaping a spreadsheet needs. Rows of an older generation are deleted once a
 * new writing of the file is in place.
 */
export const reportRanges = sqliteTable(
  "report_ranges",
  {
    platformId: text("platform_id").notNull(),
    date: text("date").notNull(),
    kind: text("kind").notNull(),
    sellerId: text("seller_id").notNull(),
    generation: text("generation").notNull(),
    offset: integer("offset").notNull(),
    bytes: integer("bytes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.date, t.kind, t.sellerId, t.generation] })],
);

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
  },
  (t) => [index("imports_by_platform").on(t.platformId, t.createdAt)],
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
