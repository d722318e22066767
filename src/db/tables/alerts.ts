/**
 * Sellers' alerts as D1 holds them for the operator's views: a projection of each ledger's
 * alerts, written by its flush as absolute values.
 */
import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const alerts = sqliteTable(
  "alerts",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    alertId: text("alert_id").notNull(),
    type: text("type").notNull(),
    status: text("status").notNull(),
    raisedAt: text("raised_at").notNull(),
    resolvedAt: text("resolved_at"),
    orderId: text("order_id"),
    /** JSON. */
    details: text("details").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.sellerId, t.alertId] }),
    index("alerts_open_by_seller").on(t.platformId, t.status, t.sellerId),
  ],
);
