/**
 * POST /v1/sessions: a platform mints a short-lived session for one of its sellers
 * (`{ seller_id }`) or for its operator (`{ role: "operator" }`). Sellers never hold the key.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { actorOf } from "../auth/principal.ts";
import { SESSION_TTL_SECONDS, signSession } from "../auth/session-tokens.ts";
import { RATE_PERIOD_SECONDS } from "../db/allowances.ts";
import { auditStatement } from "../db/audit.ts";
import { sellerIdSchema } from "../events/schema.ts";
import { answer } from "../http/answers.ts";
import { type AppEnv, authenticateUncounted, requirePlatformKey, sessionKeyring } from "../http/authenticate.ts";
import { limitBody } from "../http/body-size.ts";
import { ApiError } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, PLATFORM } from "../http/openapi/operations.ts";
import { errorAnswers, errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { rateLimited, spendRate } from "../http/rate-limits.ts";
import { validationHook } from "../http/validation.ts";

/** `{ seller_id }` (role "seller", the default) or `{ role: "operator" }`; a missing seller_id is named as such. */
const sessionRequest = z
  .object({
    role: z.enum(["seller", "operator"]).default("seller"),
    seller_id: sellerIdSchema
      .optional()
      .describe("The seller the session reads: required for a seller session, left out for an operator's"),
  })
  .refine((body) => body.role === "operator" || body.seller_id !== undefined, {
    path: ["seller_id"],
    message: 'required for a seller session (or send { "role": "operator" })',
  })
  .refine((body) => body.role === "seller" || body.seller_id === undefined, {
    path: ["seller_id"],
    message: "an operator session reads every seller of the platform: leave seller_id out",
  })
  // What the refinements say, for the OpenAPI document (which cannot see into them). The two
  // never both match (one requires seller_id, the other forbids it with `not: {}`), but linters
  // cannot prove that of a oneOf: hence anyOf.
  .openapi({
    anyOf: [
      { required: ["seller_id"], properties: { role: { const: "seller" }, seller_id: { type: "string" } } },
      { required: ["role"], properties: { role: { const: "operator" }, seller_id: { not: {} } } },
    ],
  });
const sessionResponse = z
  .object({ token: z.string(), expires_at: z.iso.datetime(), dashboard_url: z.url() })
  .openapi("Session");

export const sessions = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
/** A session request is a few dozen bytes; this leaves room for any seller id. */
const MAX_SESSION_BODY_BYTES = 16 * 1024;

// Counted per platform as sessions minted (its sessions_per_10s allowance), below.
sessions.use("*", authenticateUncounted);
sessions.use("*", limitBody(MAX_SESSION_BODY_BYTES, "A session request"));

sessions.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Mint a seller or operator session (platform key only)",
    ...operation("createSession", "Sessions", PLATFORM),
    request: {
      body: {
        content: { "application/json": { schema: sessionRequest, examples: ex.SESSION_REQUESTS } },
        required: true,
      },
    },
    responses: {
      200: jsonContent(sessionResponse, "The session", ex.SESSION),
      ...errorResponses,
      ...errorAnswers(
        answer(
          "Over the platform's sessions per 10 s: retry after Retry-After",
          rateLimited(RATE_PERIOD_SECONDS, "sessions"),
        ),
      ),
    },
  }),
  async (c) => {
    const platform = requirePlatformKey(c.get("principal"));
    await spendRate(c.env, "sessions", platform.id, `platform:${platform.id}`, 1);
    const body = c.req.valid("json");
    const dashboard = dashboardOrigin(c.env);
    const exp = Math.floor(Date.now() / 1000) + SESSION_TTL_SECONDS;
    const base = { platform: platform.id, currency: platform.currency, exp };
    const claims =
      body.role === "operator"
        ? ({ role: "operator", ...base } as const)
        : ({ role: "seller", seller_id: body.seller_id!, ...base } as const); // present: refined above
    const token = await signSession(await sessionKeyring(c.env), claims);
    const subject = claims.role === "seller" ? `seller ${claims.seller_id}` : "operator";
    await auditStatement(c.env.DB, platform.id, actorOf(c.get("principal")), "session.minted", subject).run();
    dashboard.hash = `token=${token}`;
    return c.json({ token, expires_at: new Date(exp * 1000).toISOString(), dashboard_url: dashboard.toString() }, 200);
  },
);

/**
 * The dashboard's address comes from configuration (DASHBOARD_ORIGIN), never from the request's
 * Host header: a caller who can reach the Worker under another name must not get links to it.
 */
function dashboardOrigin(env: Env): URL {
  try {
    const url = new URL("/", env.DASHBOARD_ORIGIN);
    if (url.protocol === "https:" || (url.protocol === "http:" && env.ENVIRONMENT !== "production")) return url;
  } catch {
    // not a URL: refused below
  }
  console.error("DASHBOARD_ORIGIN is not an https origin; set it in wrangler.toml [vars]");
  throw new ApiError(500, "misconfigured", "Sessions are unavailable until this service's dashboard address is set");
}
