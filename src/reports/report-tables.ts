/**
 * The daily reports written to R2, as D1 knows them (the files themselves are in R2), and where
 * each seller's rows are in each file.
 */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
