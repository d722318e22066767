/** The sellers admitted under their platform's quota (src/limits/seller-quota.ts), one row each. */
import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const platformSellers = sqliteTable(
  "platform_sellers",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.sellerId] })],
);
