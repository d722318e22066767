/**
 * GET /v1/ops/alerts: every seller's alerts in one feed, newest first, from the D1 projection the
 * ledgers flush (so it may lag them by the flush delay). The platform's own alerts only, chosen
 * by its exact id; each filter walks an index in the feed's own order, so a page costs its rows.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { decodeCursor, encodeCursor } from "../http/cursor.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent, pageSchema } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { ALERT_TYPES, type AlertDetails, alertSchema } from "./alert-types.ts";

const opsAlertSchema = alertSchema.extend({ seller_id: z.string() }).openapi("OpsAlert");

/** Where a page ended: the last alert's [raised_at, seller_id, alert_id]. */
const cursorSchema = z.tuple([z.string(), z.string(), z.string()]);

type Row = {
  seller_id: string;
  alert_id: string;
  type: (typeof ALERT_TYPES)[number];
  status: "open" | "resolved";
  raised_at: string;
  resolved_at: string | null;
  order_id: string | null;
  details: string;
};

export const opsAlerts = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
opsAlerts.use("/alerts", authenticate, operatorAccess);

opsAlerts.openapi(
  createRoute({
    method: "get",
    path: "/alerts",
    summary: "Every seller's alerts, newest first (open ones by default), a page at a time",
    ...operation("listOpsAlerts", "Operator", OPERATOR),
    request: {
      query: z.object({
        status: z.enum(["open", "all"]).default("open"),
        type: z.enum(ALERT_TYPES).optional().describe("only alerts of this type"),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().max(1024).optional().describe("next_cursor of the page before"),
      }),
    },
    responses: {
      200: jsonContent(pageSchema("alerts", opsAlertSchema), "A page of the feed", ex.OPS_ALERTS),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { status, type, limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? null : decodeCursor(cursor, cursorSchema);
    // alerts_by_type_time with a type, alerts_by_status_time for the open ones, alerts_by_time for all.
    const where = [
      "platform_id = ?1",
      type === undefined ? null : "type = ?2",
      status === "open" ? "status = 'open'" : null,
      after === null ? null : "(raised_at, seller_id, alert_id) < (?3, ?4, ?5)",
    ].filter(Boolean);
    const { results } = await c.env.DB.prepare(
      `SELECT seller_id, alert_id, type, status, raised_at, resolved_at, order_id, details FROM alerts
       WHERE ${where.join(" AND ")} ORDER BY raised_at DESC, seller_id DESC, alert_id DESC LIMIT ?6`,
    )
      .bind(platform.id, type ?? null, after?.[0] ?? "", after?.[1] ?? "", after?.[2] ?? "", limit + 1)
      .all<Row>();
    const page = results.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        alerts: page.map(({ order_id, details, ...alert }) => ({
          ...alert,
          ...(order_id === null ? {} : { order_id }),
          details: JSON.parse(details) as AlertDetails,
        })),
        next_cursor:
          results.length > limit && last ? encodeCursor([last.raised_at, last.seller_id, last.alert_id]) : null,
      },
      200,
    );
  },
);
