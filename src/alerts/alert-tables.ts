/**
 * Alerts in D1: each seller's alerts and its health (projections of its ledger, written by the
 * flush as absolute values) for the operator's views, and each platform's own thresholds.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
    // Resolved alerts past ALERTS_RETENTION_DAYS go first (src/retention/row-sweeps.ts).
    index("alerts_by_resolution").on(t.platformId, t.status, t.resolvedAt),
  ],
);

/** A platform's thresholds, where it has set its own (src/alerts/thresholds.ts has the defaults). */
export const platformThresholds = sqliteTable("platform_thresholds", {
  platformId: text("platform_id").primaryKey(),
  slaComplianceMin: real("sla_compliance_min").notNull(),
  minShipped: integer("min_shipped").notNull(),
  sellerCancellationRateMax: real("seller_cancellation_rate_max").notNull(),
  minOrders: integer("min_orders").notNull(),
  avgRatingMin: real("avg_rating_min").notNull(),
  minRatings: integer("min_ratings").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/**
 * One row per seller for the operator's sellers view and the payout liability: its trailing
 * 7 days, health, flag and open alerts, and its lifetime payout block, as of its last flush.
 */
export const sellerHealth = sqliteTable(
  "seller_health",
  {
    platformId: text("platform_id").notNull(),
    sellerId: text("seller_id").notNull(),
    health: integer("health").notNull(),
    flagged: integer("flagged").notNull(),
    /** The open flagging alerts' types (JSON array). */
    reasons: text("reasons").notNull(),
    gmv7d: integer("gmv_7d").notNull(),
    orders7d: integer("orders_7d").notNull(),
    slaCompliance: real("sla_compliance"),
    acceptanceRate: real("acceptance_rate"),
    cancellationRate: real("cancellation_rate"),
    avgRating: real("avg_rating"),
    openAlerts: integer("open_alerts").notNull(),
    payoutAccrued: integer("payout_accrued").notNull(),
    payoutPaid: integer("payout_paid").notNull(),
    commission: integer("commission").notNull(),
    fees: integer("fees").notNull(),
    refunds: integer("refunds").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.sellerId] }),
    index("health_by_health").on(t.platformId, t.health, t.sellerId),
    index("health_by_gmv").on(t.platformId, t.gmv7d, t.sellerId),
    index("health_by_sla").on(t.platformId, t.slaCompliance, t.sellerId),
    index("health_by_cancellation").on(t.platformId, t.cancellationRate, t.sellerId),
    index("health_by_rating").on(t.platformId, t.avgRating, t.sellerId),
    index("health_flagged").on(t.platformId, t.flagged, t.health, t.sellerId),
  ],
);
