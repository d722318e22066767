/**
 * What an alert is: its types, its shape as the API and the webhooks show it, and the notices the
 * jobs send. Definitions only; a ledger keeps a seller's alerts (src/ledger/alert-store.ts).
 */
export const ALERT_TYPES = [
  "sla.at_risk",
  "sla.breached",
  "threshold.sla_compliance",
  "threshold.cancellation_rate",
  "threshold.avg_rating",
  "anomaly.gmv",
  "anomaly.orders",
  "rank.entered_top10",
  "rank.left_top10",
  "report.ready",
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** An alert as the API shows it. */
export interface Alert {
  alert_id: string;
  type: AlertType;
  status: "open" | "resolved";
  raised_at: string;
  resolved_at: string | null;
  order_id?: string;
  details: AlertDetails;
}

/** What an alert says beyond its type: JSON values only. */
export type AlertDetails = Record<string, string | number | boolean | null>;

/** The webhooks queue's message for an alert that was raised or resolved. */
export interface AlertChange {
  platform: string;
  seller_id: string;
  alert: Alert;
}

/** An informational alert made by a job (rankings, reports) for a seller. */
export interface Notice {
  id: string;
  type: AlertType;
  details: AlertDetails;
}
