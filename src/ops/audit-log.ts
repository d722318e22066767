/**
 * GET /v1/ops/audit: who minted sessions, changed webhooks or replayed messages, and when
 * (db/audit.ts writes each entry beside its change). The platform's own entries only; read-only.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";

export const opsAudit = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// Its own path only: a "*" here would run for every /v1/ops route, authenticating and counting it again.
opsAudit.use("/audit", authenticate, operatorAccess);

const auditSchema = z
  .object({ at: z.string(), actor: z.string(), action: z.string(), subject: z.string().nullable() })
  .openapi("AuditEntry");

opsAudit.openapi(
  createRoute({
    method: "get",
    path: "/audit",
    summary: "Who minted sessions, changed webhooks or replayed messages, and when (newest first)",
    ...operation("listAuditEntries", "Operator", OPERATOR),
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
    responses: {
      200: jsonContent(z.object({ entries: z.array(auditSchema) }), "The audit log", ex.AUDIT),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { limit } = c.req.valid("query");
    const { results } = await c.env.DB.prepare(
      "SELECT at, actor, action, subject FROM audit WHERE platform_id = ? ORDER BY id DESC LIMIT ?",
    )
      .bind(platform.id, limit)
      .all<z.infer<typeof auditSchema>>();
    return c.json({ entries: results }, 200);
  },
);
