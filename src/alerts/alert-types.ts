/**
 * What an alert is: its types, its shape as the API and the webhooks show it (one zod schema, the
 * types inferred from it), and the notices the jobs send. Definitions only; a ledger keeps a
 * seller's alerts (src/ledger/alert-store.ts).
 */
import { z } from "@hono/zod-openapi";

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

/** What an alert says beyond its type: JSON values only. */
const detailsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type AlertDetails = z.infer<typeof detailsSchema>;

/** An alert as the API and the webhooks show it. */
export const alertSchema = z
  .object({
    alert_id: z.string().describe("stable: an alert is raised once however often its condition is seen"),
    type: z.enum(ALERT_TYPES),
    status: z.enum(["open", "resolved"]),
    raised_at: z.string(),
    resolved_at: z.string().nullable(),
    order_id: z.string().optional(),
    details: detailsSchema,
  })
  .openapi("Alert");
export type Alert = z.infer<typeof alertSchema>;

/** The webhooks queue's message for an alert that was raised or resolved. */
export const alertChangeSchema = z.object({ platform: z.string(), seller_id: z.string(), alert: alertSchema });
export type AlertChange = z.infer<typeof alertChangeSchema>;

/** An informational alert made by a job (rankings, reports) for a seller. */
export interface Notice {
  id: string;
  type: AlertType;
  details: AlertDetails;
}
