/**
 * Sessions: a platform mints a short-lived session for one of its sellers (`{ seller_id }`) or for
 * its operator (`{ role: "operator" }`), POST /v1/sessions; sellers never hold the key. A live
 * session gets a new token for the same subject (POST /v1/sessions/refresh), up to 12 hours after
 * its chain's first token; the platform revokes sessions by subject (POST /v1/sessions/revoke).
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { actorOf } from "../auth/principal.ts";
import { noteRevoked, type RevocationKind, revokeStatements } from "../auth/session-revocations.ts";
import { SESSION_CHAIN_SECONDS, SESSION_TTL_SECONDS, signSession } from "../auth/session-tokens.ts";
import { RATE_PERIOD_SECONDS } from "../db/allowances.ts";
import { auditStatement } from "../db/audit.ts";
import { sellerIdSchema } from "../events/schema.ts";
import { answer } from "../http/answers.ts";
import { type AppEnv, authenticateUncounted, requirePlatformKey, sessionKeyring } from "../http/authenticate.ts";
import { limitBody } from "../http/body-size.ts";
import { badRequest, forbidden, misconfigured, unauthorized } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation, PLATFORM } from "../http/openapi/operations.ts";
import { errorAnswers, errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { rateKeyOf, rateLimited, spendRate } from "../http/rate-limits.ts";
import { validationHook } from "../http/validation.ts";

/**
 * The two forms a session's subject takes in a request body, for the OpenAPI document (which
 * cannot see into the refinements): `{ seller_id }` (role "seller") and `{ role: "operator" }`.
 */
const SELLER_FORM = {
  required: ["seller_id"],
  properties: { role: { const: "seller" }, seller_id: { type: "string" as const, minLength: 1, maxLength: 128 } },
};
const OPERATOR_FORM = { required: ["role"], properties: { role: { const: "operator" }, seller_id: { not: {} } } };

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
    anyOf: [SELLER_FORM, OPERATOR_FORM],
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
    const principal = c.get("principal");
    const platform = requirePlatformKey(principal);
    await spendRate(c.env, "sessions", platform.id, `platform:${platform.id}`, 1);
    const body = c.req.valid("json");
    const dashboard = dashboardOrigin(c.env);
    const now = Date.now();
    const exp = Math.floor(now / 1000) + SESSION_TTL_SECONDS;
    // A new chain: minted now, by this key (a revocation of the key voids the whole chain).
    const key = principal.kind === "platform" ? principal.keyHash : "";
    const base = { platform: platform.id, currency: platform.currency, exp, minted_at: now, chain_at: now, key };
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

/** Refreshes and revocations count as reads of their caller. */
const READS_OVER = answer(
  "Over the caller's rate of reads: retry after Retry-After",
  rateLimited(RATE_PERIOD_SECONDS, "reads"),
);

const refreshResponse = z.object({ token: z.string(), expires_at: z.iso.datetime() }).openapi("RefreshedSession");

sessions.openapi(
  createRoute({
    method: "post",
    path: "/refresh",
    summary: "A new token for the same session (a live session token), up to 12 hours after the first",
    description:
      "Sent with a live seller or operator session token (Authorization: Bearer), answers a new token for the same subject, so that an open dashboard never lapses. A chain of refreshes ends 12 hours after its first token was minted: the last token expires then, and the platform mints anew. A revoked session cannot be refreshed.",
    ...operation("refreshSession", "Sessions", ["sellerSession", "operatorSession"]),
    responses: {
      200: jsonContent(refreshResponse, "The new token", ex.REFRESHED_SESSION),
      ...errorResponses,
      ...errorAnswers(READS_OVER),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    if (principal.kind === "platform") throw forbidden("This endpoint takes a session token, not a platform key");
    await spendRate(c.env, "reads", principal.platform.id, rateKeyOf(principal), 1);
    const now = Date.now();
    const { chainAt, keyHash } = principal.session;
    const exp = Math.floor(Math.min(now + SESSION_TTL_SECONDS * 1000, chainAt + SESSION_CHAIN_SECONDS * 1000) / 1000);
    if (exp * 1000 <= now) throw unauthorized("The session's 12 hours are over; the platform mints a new session");
    const { platform } = principal;
    const base = {
      platform: platform.id,
      currency: platform.currency,
      exp,
      minted_at: now,
      chain_at: chainAt,
      key: keyHash,
    };
    const claims =
      principal.kind === "seller"
        ? ({ role: "seller", seller_id: principal.sellerId, ...base } as const)
        : ({ role: "operator", ...base } as const);
    const token = await signSession(await sessionKeyring(c.env), claims);
    return c.json({ token, expires_at: new Date(exp * 1000).toISOString() }, 200);
  },
);

const REVOKERS =
  "A seller's sessions are revoked with the platform's key or an operator session; the operator's or every session with the platform's key";

/** `{ seller_id }`, `{ role: "operator" }`, or `{}` for every session of the platform. */
const revokeRequest = z
  .object({
    role: z.enum(["seller", "operator"]).optional(),
    seller_id: sellerIdSchema.optional().describe("The seller whose sessions are revoked"),
  })
  .refine((body) => body.role !== "operator" || body.seller_id === undefined, {
    path: ["seller_id"],
    message: "an operator's sessions name no seller: leave seller_id out",
  })
  .refine((body) => body.role !== "seller" || body.seller_id !== undefined, {
    path: ["seller_id"],
    message: "required to revoke a seller's sessions (send {} to revoke every session of the platform)",
  })
  .openapi({
    anyOf: [SELLER_FORM, OPERATOR_FORM, { properties: { role: { not: {} }, seller_id: { not: {} } } }],
  });

sessions.openapi(
  createRoute({
    method: "post",
    path: "/revoke",
    summary:
      "Revoke sessions: a seller's (platform key or operator), the operator's, or every one of the platform (platform key)",
    description:
      "Every session of the subject minted before now is 401 from then on, refreshes included: `{ seller_id }` a seller's, `{ role: \"operator\" }` the operator's, `{}` every session of the platform. The platform key may send any of them; an operator session only `{ seller_id }` (the console's lever; 403 otherwise). Audited. (Revoking a platform key, with the admin command, voids every session that key minted.)",
    ...operation("revokeSessions", "Sessions", OPERATOR),
    request: {
      body: {
        content: { "application/json": { schema: revokeRequest, examples: ex.REVOKE_REQUESTS } },
        required: true,
      },
    },
    responses: { 204: { description: "Revoked" }, ...errorResponses, ...errorAnswers(READS_OVER) },
  }),
  async (c) => {
    const principal = c.get("principal");
    if (principal.kind === "seller") throw forbidden(REVOKERS);
    const { platform } = principal;
    await spendRate(c.env, "reads", principal.platform.id, rateKeyOf(principal), 1);
    // The validator reads a request without a body as {}: that must never revoke everyone.
    if (!c.req.header("Content-Type")) throw badRequest("Send a JSON body: {} revokes every session of the platform");
    const body = c.req.valid("json");
    // An operator signs a seller out; its own sessions and everyone's are the platform key's to end.
    if (principal.kind === "operator" && body.seller_id === undefined) throw forbidden(REVOKERS);
    const [kind, subject, audited]: [RevocationKind, string, string] =
      body.seller_id !== undefined
        ? ["seller", body.seller_id, `seller ${body.seller_id}`]
        : body.role === "operator"
          ? ["operator", "", "operator"]
          : ["everyone", "", "everyone"];
    const now = Date.now();
    await c.env.DB.batch([
      ...revokeStatements(c.env.DB, platform.id, kind, subject, now),
      auditStatement(c.env.DB, platform.id, actorOf(principal), "session.revoked", audited),
    ]);
    noteRevoked(platform.id, kind, subject, now);
    return c.body(null, 204);
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
  throw misconfigured(
    "DASHBOARD_ORIGIN is not an https origin; set it in wrangler.toml [vars]",
    "Sessions are unavailable until this service's dashboard address is set",
  );
}
