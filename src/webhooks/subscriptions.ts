/**
 * /v1/webhooks: a platform subscribes URLs to alert types (its key, or its operator's session: the
 * console). The signing secret is shown once, in the 201; it is never stored, only derived again
 * to sign each delivery. A test delivery is sent on demand and kept like any other. Every change
 * and test is audited.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ALERT_TYPES } from "../alerts/alert-types.ts";
import { actorOf } from "../auth/principal.ts";
import { auditStatement } from "../db/audit.ts";
import { allowancesOf } from "../db/platform-allowances.ts";
import { answer } from "../http/answers.ts";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { ApiError, badRequest, limitReached, misconfigured } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorAnswers, errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { sendTestDelivery } from "./deliveries.ts";
import { SigningKeyRefused, secretOf, signingKeyOf } from "./signature.ts";
import { refusedWebhookUrl } from "./url.ts";

const webhookSchema = z
  .object({
    webhook_id: z.string(),
    url: z.string(),
    events: z.array(z.enum(ALERT_TYPES)),
    created_at: z.string(),
  })
  .openapi("Webhook");
const createdSchema = webhookSchema
  .extend({ secret: z.string().describe("HMAC-SHA256 key of X-Signature; shown only here") })
  .openapi("WebhookCreated");
const createRequest = z.object({
  url: z
    .string()
    .max(2048)
    .describe(
      "https to a public host, judged by what it reaches (trailing dots, IPv4 in any spelling, IPv6 forms embedding IPv4, internal names and non-global ranges are refused), here and again before each delivery; plain http only to a loopback host outside production",
    ),
  events: z.array(z.enum(ALERT_TYPES)).min(1).max(ALERT_TYPES.length),
});

export const webhookRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
webhookRoutes.use("*", authenticate, operatorAccess);

/** The path of one webhook (/{id}, /{id}/test) and the 404 when it is not the platform's. */
const webhookParams = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { example: ex.WEBHOOKS.webhooks[0]!.webhook_id } }),
});
const noSuchWebhook = jsonContent(errorResponses[400].content["application/json"].schema, "No such webhook");

type Row = { webhook_id: string; url: string; events: string; created_at: string };
const toWebhook = (r: Row) => ({ ...r, events: JSON.parse(r.events) as (typeof ALERT_TYPES)[number][] });

webhookRoutes.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Subscribe a URL to alert types; the 201 shows its signing secret, once",
    ...operation("createWebhook", "Webhooks", OPERATOR),
    request: {
      body: { content: { "application/json": { schema: createRequest, example: ex.WEBHOOK_REQUEST } }, required: true },
    },
    responses: {
      201: jsonContent(createdSchema, "The webhook and its secret", ex.WEBHOOK_CREATED),
      ...errorResponses,
      ...errorAnswers(
        answer(
          "The platform has its allowance of webhooks (limit_reached)",
          limitReached("webhooks", 20, "This platform has its allowance of 20 webhooks; delete one first"),
        ),
      ),
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { url, events } = c.req.valid("json");
    const refused = refusedWebhookUrl(url, c.env.ENVIRONMENT === "production");
    if (refused) throw badRequest(`url ${refused}`, { errors: [`url: ${refused}`] });
    const signingKey = checkedSigningKey(c.env); // before anything is stored
    const webhookId = `wh_${crypto.randomUUID().replaceAll("-", "")}`;
    const createdAt = new Date().toISOString();
    const subscribed = [...new Set(events)];
    // A platform's webhooks are few (its allowance): counted in the insert itself, so that two
    // subscriptions at once cannot both pass the last place.
    const max = (await allowancesOf(c.env, platform.id)).webhooks;
    const inserted = await c.env.DB.prepare(
      `INSERT INTO webhooks (webhook_id, platform_id, url, events, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5 WHERE (SELECT COUNT(*) FROM webhooks WHERE platform_id = ?2 AND deleted_at IS NULL) < ?6`,
    )
      .bind(webhookId, platform.id, url, JSON.stringify(subscribed), createdAt, max)
      .run();
    if (inserted.meta.changes === 0) {
      throw limitReached("webhooks", max, `This platform has its allowance of ${max} webhooks; delete one first`);
    }
    await auditStatement(
      c.env.DB,
      platform.id,
      actorOf(c.get("principal")),
      "webhook.created",
      `${webhookId} ${url}`,
    ).run();
    const secret = await secretOf(signingKey, webhookId);
    return c.json({ webhook_id: webhookId, url, events: subscribed, secret, created_at: createdAt }, 201);
  },
);

webhookRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    summary: "The platform's webhooks (never their secrets)",
    ...operation("listWebhooks", "Webhooks", OPERATOR),
    responses: {
      200: jsonContent(z.object({ webhooks: z.array(webhookSchema) }), "Oldest first", ex.WEBHOOKS),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { results } = await c.env.DB.prepare(
      "SELECT webhook_id, url, events, created_at FROM webhooks WHERE platform_id = ? AND deleted_at IS NULL ORDER BY created_at, webhook_id",
    )
      .bind(platform.id)
      .all<Row>();
    return c.json({ webhooks: results.map(toWebhook) }, 200);
  },
);

webhookRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    summary: "Delete a webhook: it gets nothing more, pending deliveries included",
    ...operation("deleteWebhook", "Webhooks", OPERATOR),
    request: { params: webhookParams },
    responses: {
      204: { description: "Deleted" },
      404: noSuchWebhook,
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { id } = c.req.valid("param");
    const deleted = await c.env.DB.prepare(
      "UPDATE webhooks SET deleted_at = ? WHERE webhook_id = ? AND platform_id = ? AND deleted_at IS NULL RETURNING webhook_id",
    )
      .bind(new Date().toISOString(), id, platform.id)
      .first();
    if (!deleted) throw new ApiError(404, "not_found", "No such webhook");
    await auditStatement(c.env.DB, platform.id, actorOf(c.get("principal")), "webhook.deleted", id).run();
    return c.body(null, 204);
  },
);

const testedSchema = z
  .object({
    delivery_id: z.string(),
    status: z.enum(["delivered", "failed"]),
    last_status: z.int().nullable().describe("the receiver's HTTP status; null when it did not answer"),
    last_error: z.string().nullable(),
  })
  .openapi("WebhookTest");

webhookRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/test",
    summary: "Send the webhook a test delivery now, tried once (a failed one may be replayed)",
    ...operation("testWebhook", "Webhooks", OPERATOR),
    request: { params: webhookParams },
    responses: {
      200: jsonContent(testedSchema, "How the receiver answered", ex.WEBHOOK_TESTED),
      404: noSuchWebhook,
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { id } = c.req.valid("param");
    checkedSigningKey(c.env); // a weak key: 500 before a delivery is made, as for a new webhook
    const outcome = await sendTestDelivery(c.env, platform.id, id);
    if (!outcome || outcome.status === "pending") throw new ApiError(404, "not_found", "No such webhook");
    await auditStatement(
      c.env.DB,
      platform.id,
      actorOf(c.get("principal")),
      "webhook.tested",
      `${id} ${outcome.status}`,
    ).run();
    return c.json({ ...outcome, status: outcome.status }, 200);
  },
);

/**
 * The key webhook secrets derive from. A weak one outside local development refuses new webhooks
 * and test deliveries (500, and the reason in the log), rather than hand out secrets anyone could derive.
 */
function checkedSigningKey(env: Env): string {
  try {
    return signingKeyOf(env);
  } catch (error) {
    if (!(error instanceof SigningKeyRefused)) throw error;
    throw misconfigured(
      `webhooks refused: ${error.message}; set a new one with wrangler secret put WEBHOOK_SIGNING_KEY`,
      "Webhooks are unavailable until this service's operator sets a strong signing key",
    );
  }
}
