/**
 * Session revocations in D1 (session-revocations.ts reads and writes them): one row per platform,
 * kind (everyone, operator, seller, key) and subject (the seller id, the key's hash, or empty),
 * with the latest time it was revoked (ms since the epoch). Rows older than two session lifetimes
 * void nothing alive and are deleted by the next revocation of the platform.
 */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const sessionRevocations = sqliteTable(
  "session_revocations",
  {
    platformId: text("platform_id").notNull(),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    revokedAt: integer("revoked_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.kind, t.subject] })],
);
