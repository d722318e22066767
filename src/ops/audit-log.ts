/**
 * GET /v1/ops/audit: who did what to the platform, and when, newest first, a page at a time:
 * sessions minted, keys created and revoked (the admin commands write their own rows), quotas,
 * thresholds and webhooks changed, messages replayed, ledgers rebuilt (db/audit.ts writes each
 * entry beside its change). The platform's own rows only, chosen by its exact id; read-only.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { decodeCursor, encodeCursor } from "../http/cursor.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent, pageSchema } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";

export const opsAudit = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// Its own path only: a "*" here would run for every /v1/ops route, authenticating and counting it again.
opsAudit.use("/audit", authenticate, operatorAccess);

const auditSchema = z
  .object({
    at: z.string(),
    actor: z.string().describe('"platform key", "operator" or "admin" (an admin command)'),
    action: z.string().describe('what was done: "session.minted", "key.revoked", "thresholds.changed"…'),
    subject: z.string().nullable().describe("what it was done to, in words"),
  })
  .openapi("AuditEntry");

/** Where a page ended: the last entry's row id (entries are numbered as they are written). */
const cursorSchema = z.tuple([z.int().positive()]);

opsAudit.openapi(
  createRoute({
    method: "get",
    path: "/audit",
    summary: "Who minted sessions, changed keys, quotas, thresholds or webhooks, replayed or rebuilt, and when",
    ...operation("listAuditEntries", "Operator", OPERATOR),
    request: {
      query: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(200),
        cursor: z.string().max(256).optional().describe("next_cursor of the page before"),
      }),
    },
    responses: {
      200: jsonContent(pageSchema("entries", auditSchema), "The audit log, newest first", ex.AUDIT),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { limit, cursor } = c.req.valid("query");
    const before = cursor === undefined ? null : decodeCursor(cursor, cursorSchema)[0];
    // audit_by_platform (platform_id, id), walked backwards from the page before's last entry.
    const { results } = await c.env.DB.prepare(
      `SELECT id, at, actor, action, subject FROM audit WHERE platform_id = ?1 ${before === null ? "" : "AND id < ?3"}
       ORDER BY id DESC LIMIT ?2`,
    )
      .bind(platform.id, limit + 1, ...(before === null ? [] : [before]))
      .all<z.infer<typeof auditSchema> & { id: number }>();
    const page = results.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        entries: page.map(({ id: _, ...entry }) => entry),
        next_cursor: results.length > limit && last ? encodeCursor([last.id]) : null,
      },
      200,
    );
  },
);
