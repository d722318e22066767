/**
 * Webhooks in D1: the platforms' subscriptions (no secret is stored: each is derived from the
 * webhook's id with WEBHOOK_SIGNING_KEY) and every delivery with its attempts and outcome.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const webhooks = sqliteTable(
  "webhooks",
  {
    webhookId: text("webhook_id").primaryKey(),
    platformId: text("platform_id").notNull(),
    url: text("url").notNull(),
    /** The alert types it receives (JSON array). */
    events: text("events").notNull(),
    createdAt: text("created_at").notNull(),
    deletedAt: text("deleted_at"),
  },
  (t) => [index("webhooks_by_platform").on(t.platformId, t.deletedAt)],
);

/** One alert change for one webhook: stable across retries (its id), delivered, pending or failed. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    deliveryId: text("delivery_id").primaryKey(),
    webhookId: text("webhook_id").notNull(),
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    type: text("type").notNull(),
    /** The alert as delivered (JSON). */
    alert: text("alert").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("deliveries_by_status").on(t.platformId, t.status, t.createdAt)],
);
