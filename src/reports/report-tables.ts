/**
 * The daily reports written to R2, as D1 knows them (the files themselves are in R2), where each
 * seller's rows are in each file, and how often each day's rollups changed (so that a day that later
 * events change is written again).
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
    /** 1 for the first writing; one more each time later events changed the day and it was written again. */
    revision: integer("revision").notNull().default(1),
    /** The day's day_changes.version its rollups were read at (null: written before versions were kept). */
    sourceVersion: integer("source_version"),
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
    /** A digest of the seller's rows in the file: a new revision tells only the sellers whose rows changed. */
    digest: text("digest"),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.date, t.kind, t.sellerId, t.generation] })],
);

/**
 * A counter per platform and UTC day (epoch days) of the ledgers' flushes that wrote that day's
 * rollups, bumped in the same D1 transaction as the rows: a report read at version v is behind
 * once the day's version is past v. Kept as long as a day can be written again (a week).
 */
export const dayChanges = sqliteTable(
  "day_changes",
  {
    platformId: text("platform_id").notNull(),
    day: integer("day").notNull(),
    version: integer("version").notNull(),
    changedAt: text("changed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.day] })],
);
