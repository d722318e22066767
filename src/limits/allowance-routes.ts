/**
 * GET /v1/ops/allowances: the platform's allowances (its own value where the operator of the
 * deployment set one, wrangler.toml's default elsewhere) and, for the counts, how much is in use
 * now. Read fresh from D1 (the isolates apply a change within a minute). The platform's own only;
 * read-only: `node scripts/admin.ts set-allowance` changes them.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ALLOWANCE_NAMES, ALLOWANCES, type AllowanceName, defaultAllowances } from "../db/allowances.ts";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";

export const opsAllowances = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
opsAllowances.use("/allowances", authenticate, operatorAccess);

const allowanceSchema = z
  .object({
    name: z.enum(ALLOWANCE_NAMES as [AllowanceName, ...AllowanceName[]]),
    kind: z.enum(["rate", "count"]).describe("rate: per 10 s (over it 429); count: at once or per day (over it 409)"),
    value: z.int().describe("the platform's allowance"),
    default: z.int().describe("wrangler.toml's value, which the platform has unless it was given its own"),
    own: z.boolean().describe("whether the operator of the deployment set the platform's own value"),
    used: z.int().nullable().describe("for a count: how much is in use now (null for a rate, and live sockets)"),
    description: z.string(),
  })
  .openapi("Allowance");

/** ?1 platform, ?2 the UTC day's start, ?3 an hour ago: what the counts have in use. */
const USED = `SELECT
  (SELECT COUNT(*) FROM imports WHERE platform_id = ?1 AND state IN ('queued', 'running')) AS imports_at_once,
  (SELECT COALESCE(SUM(bytes), 0) FROM imports WHERE platform_id = ?1 AND created_at >= ?2) AS import_bytes_per_day,
  (SELECT COUNT(*) FROM rebuild_runs WHERE platform_id = ?1 AND state = 'running' AND updated_at > ?3) AS rebuilds_at_once,
  (SELECT COUNT(*) FROM webhooks WHERE platform_id = ?1 AND deleted_at IS NULL) AS webhooks,
  (SELECT COUNT(*) FROM categories WHERE platform_id = ?1) AS categories`;

opsAllowances.openapi(
  createRoute({
    method: "get",
    path: "/allowances",
    summary: "The platform's allowances, which of them are its own, and how much of each count is in use",
    ...operation("listAllowances", "Operator", OPERATOR),
    responses: {
      200: jsonContent(z.object({ allowances: z.array(allowanceSchema) }), "The allowances", ex.ALLOWANCES),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const now = Date.now();
    const [own, used] = await c.env.DB.batch<Record<string, number | string>>([
      c.env.DB.prepare("SELECT name, value FROM platform_allowances WHERE platform_id = ?").bind(platform.id),
      c.env.DB.prepare(USED).bind(
        platform.id,
        new Date(Math.floor(now / DAY_MS) * DAY_MS).toISOString(),
        new Date(now - HOUR_MS).toISOString(),
      ),
    ]);
    const defaults = defaultAllowances(c.env);
    const values = new Map(own!.results.map((r) => [String(r.name), Number(r.value)]));
    const inUse = used!.results[0] ?? {};
    const allowances = ALLOWANCE_NAMES.map((name) => ({
      name,
      kind: ALLOWANCES[name].kind,
      value: values.get(name) ?? defaults[name],
      default: defaults[name],
      own: values.has(name),
      used: name in inUse ? Number(inUse[name]) : null,
      description: ALLOWANCES[name].describe,
    }));
    return c.json({ allowances }, 200);
  },
);
