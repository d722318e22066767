/**
 * The operator's webhook deliveries: those that failed every retry (or any status) and replaying
 * one, which sends it again with a fresh day of retries. The platform's own rows only.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { actorOf } from "../auth/principal.ts";
import { auditStatement } from "../db/audit.ts";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { ApiError, unavailable } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, errorSchema, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import type { DeliveryMessage } from "./deliveries.ts";

const deliverySchema = z
  .object({
    delivery_id: z.string(),
    webhook_id: z.string(),
    seller_id: z.string(),
    type: z.string(),
    alert_id: z.string(),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.int(),
    last_status: z.int().nullable().describe("the receiver's last HTTP status; null when it did not answer"),
    last_error: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WebhookDelivery");

export const opsDeliveries = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// Its own paths only: a "*" here would run for every /v1/ops route, authenticating and counting it again.
// (one pattern: "/webhook-deliveries/*" matches "/webhook-deliveries" too)
opsDeliveries.use("/webhook-deliveries/*", authenticate, operatorAccess);

type Row = Omit<z.infer<typeof deliverySchema>, "alert_id"> & { alert: string };

opsDeliveries.openapi(
  createRoute({
    method: "get",
    path: "/webhook-deliveries",
    summary: "Webhook deliveries by status (failed: every retry for a day failed), newest first",
    ...operation("listWebhookDeliveries", "Operator", OPERATOR),
    request: {
      query: z.object({
        status: z.enum(["failed", "pending", "delivered"]).default("failed"),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    },
    responses: {
      200: jsonContent(z.object({ deliveries: z.array(deliverySchema) }), "The deliveries", ex.DELIVERIES),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { status, limit } = c.req.valid("query");
    const { results } = await c.env.DB.prepare(
      `SELECT delivery_id, webhook_id, seller_id, type, alert, status, attempts, last_status, last_error, created_at, updated_at
       FROM webhook_deliveries WHERE platform_id = ? AND status = ? ORDER BY created_at DESC, delivery_id LIMIT ?`,
    )
      .bind(platform.id, status, limit)
      .all<Row>();
    const deliveries = results.map(({ alert, ...r }) => ({
      ...r,
      alert_id: (JSON.parse(alert) as { alert_id: string }).alert_id,
    }));
    return c.json({ deliveries }, 200);
  },
);

opsDeliveries.openapi(
  createRoute({
    method: "post",
    path: "/webhook-deliveries/{id}/replay",
    summary: "Send a failed delivery again (same delivery_id), with a fresh day of retries",
    ...operation("replayWebhookDelivery", "Operator", OPERATOR),
    request: {
      params: z.object({
        id: z
          .string()
          .max(64)
          .openapi({ param: { example: ex.REPLAYED.delivery_id } }),
      }),
    },
    responses: {
      202: jsonContent(
        z.object({ delivery_id: z.string(), status: z.literal("pending") }),
        "Queued again",
        ex.REPLAYED,
      ),
      404: jsonContent(errorSchema, "No such delivery"),
      409: jsonContent(errorSchema, "Not failed: only a failed delivery is replayed"),
      ...errorResponses,
      503: jsonContent(errorSchema, "It could not be queued again: it is still failed"),
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { id } = c.req.valid("param");
    const now = new Date().toISOString();
    const replayed = await c.env.DB.prepare(
      `UPDATE webhook_deliveries SET status = 'pending', created_at = ?3, updated_at = ?3
       WHERE delivery_id = ?1 AND platform_id = ?2 AND status = 'failed' RETURNING delivery_id`,
    )
      .bind(id, platform.id, now)
      .first();
    if (!replayed) {
      const exists = await c.env.DB.prepare(
        "SELECT status FROM webhook_deliveries WHERE delivery_id = ? AND platform_id = ?",
      )
        .bind(id, platform.id)
        .first<{ status: string }>();
      if (!exists) throw new ApiError(404, "not_found", "No such delivery");
      throw new ApiError(409, "not_failed", `The delivery is ${exists.status}: only a failed delivery is replayed`);
    }
    try {
      await c.env.WEBHOOKS.send({ delivery: id } satisfies DeliveryMessage, { contentType: "json" });
    } catch (error) {
      // Never left pending with nothing on its way: failed again, to be replayed again.
      console.error("replayed delivery not queued; failed again", id, error);
      await c.env.DB.prepare(
        "UPDATE webhook_deliveries SET status = 'failed' WHERE delivery_id = ? AND status = 'pending' AND updated_at = ?",
      )
        .bind(id, now)
        .run();
      throw unavailable("The delivery could not be queued again; it is still failed");
    }
    await auditStatement(c.env.DB, platform.id, actorOf(c.get("principal")), "webhook_delivery.replayed", id).run();
    return c.json({ delivery_id: id, status: "pending" as const }, 202);
  },
);
