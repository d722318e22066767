/**
 * Who is calling: a platform (API key), one of its sellers or its operator (session token).
 * `authenticate` resolves the bearer credential or answers 401, and counts the call against the
 * caller's rate (429 over it); the `require*` guards answer 403 when an authenticated caller
 * reaches beyond what its credential allows. When D1 cannot answer a key lookup: 503.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { sha256Hex } from "../auth/api-key.ts";
import { demoPlatformFor } from "../auth/demo-platform.ts";
import { platformForKey } from "../auth/key-lookup.ts";
import type { Platform, Principal } from "../auth/principal.ts";
import { holderOf, isVoided, type Revocations, revocationsOf } from "../auth/session-revocations.ts";
import {
  isSessionToken,
  type Keyring,
  keyringOf,
  SessionSecretRefused,
  verifySession,
} from "../auth/session-tokens.ts";
import { LOOKUP_RATE_PERIOD_SECONDS, RATE_PERIOD_SECONDS } from "../db/allowances.ts";
import { answer, answers } from "./answers.ts";
import { ApiError, forbidden, misconfigured, unauthorized, unavailable } from "./errors.ts";
import { rateKeyOf, rateLimited, spendLookup, spendRate } from "./rate-limits.ts";

export interface AppEnv {
  Bindings: Env;
  /** `ingested`: what ingest put on the queue and rejected, for the request's log line. */
  Variables: { principal: Principal; ingested?: { accepted: number; rejected: number } };
}

/** What every authentication answers (the OpenAPI document lists it on each route it guards). */
const CREDENTIAL_ANSWERS = [
  answer("Missing, wrong, revoked or expired credentials", unauthorized()),
  answer("Storage cannot look the key up right now: retry after Retry-After", unavailable()),
  answer(
    "Over the client's lookups of keys no isolate knows (a flood of wrong keys): retry after Retry-After",
    rateLimited(LOOKUP_RATE_PERIOD_SECONDS, "lookups"),
  ),
];
const COUNTED = answer(
  "Over the caller's rate of reads: retry after Retry-After",
  rateLimited(RATE_PERIOD_SECONDS, "reads"),
);

/** The bearer credential of the Authorization header, if any. */
const bearerOf = (header: string | undefined) => header?.match(/^Bearer\s+(\S+)$/i)?.[1];

/**
 * Resolves the Authorization header's credential, or answers 401, without counting the call:
 * for the routes that count by their own measure (ingest by events, sessions minted).
 */
export const authenticateUncounted = answers(
  createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerOf(c.req.header("Authorization"));
    if (!token) throw unauthorized();
    c.set("principal", await principalFor(c.env, token, clientOf(c.req.raw)));
    await next();
  }),
  ...CREDENTIAL_ANSWERS,
);

/** The caller behind a credential (or 401), counted as one of its reads (or 429), set on the request. */
async function admitReader(c: Context<AppEnv>, token: string): Promise<void> {
  const principal = await principalFor(c.env, token, clientOf(c.req.raw));
  await spendRate(c.env, "reads", principal.platform.id, rateKeyOf(principal), 1);
  c.set("principal", principal);
}

/** Resolves the Authorization header's credential (or 401), and counts the call as the caller's (or 429). */
export const authenticate = answers(
  createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerOf(c.req.header("Authorization"));
    if (!token) throw unauthorized();
    await admitReader(c, token);
    await next();
  }),
  ...CREDENTIAL_ANSWERS,
  COUNTED,
);

/**
 * For a WebSocket, which a browser opens without headers: a session token may also come as
 * ?token=. A platform key never does: a URL ends up in logs and histories, and a key does not
 * expire.
 */
export const authenticateSocket = answers(
  createMiddleware<AppEnv>(async (c, next) => {
    let token = bearerOf(c.req.header("Authorization"));
    if (!token) {
      token = c.req.query("token");
      if (!token) throw unauthorized();
      if (!isSessionToken(token))
        throw unauthorized(
          "Only a session token may be given as ?token=; send a platform key in the Authorization header",
        );
    }
    await admitReader(c, token);
    await next();
  }),
  ...CREDENTIAL_ANSWERS,
  COUNTED,
);

/** A seller path (`/:id/...`) that the caller may not read is 403 before its parameters are checked. */
export const sellerAccess = answers(
  createMiddleware<AppEnv>(async (c, next) => {
    requireSellerAccess(c.get("principal"), c.req.param("id") ?? "");
    await next();
  }),
  answer("A seller's session on another seller's path", forbidden("This session may read only its own seller")),
);

/**
 * Who is calling, for the allowance of key lookups: the address Cloudflare saw the request come
 * from (CF-Connecting-IP, which a caller cannot set through Cloudflare); one shared name without it
 * (local development and tests).
 */
const clientOf = (request: Request) => request.headers.get("CF-Connecting-IP") ?? "unknown";

async function principalFor(env: Env, token: string, client: string): Promise<Principal> {
  if (isSessionToken(token)) {
    const claims = await verifySession(await sessionKeyring(env), token);
    if (!claims) throw unauthorized("The session token is invalid or has expired");
    const platform = { id: claims.platform, currency: claims.currency };
    const expiresAt = claims.exp * 1000;
    const session = { mintedAt: claims.minted_at, chainAt: claims.chain_at, keyHash: claims.key };
    const principal: Principal =
      claims.role === "seller"
        ? { kind: "seller", platform, sellerId: claims.seller_id, expiresAt, session }
        : { kind: "operator", platform, expiresAt, session };
    let revocations: Revocations;
    try {
      revocations = await revocationsOf(env.DB, platform.id);
    } catch (error) {
      // Unknown whether the session stands: refused for now (503), never let through.
      console.error("session revocations read failed", error);
      throw unavailable();
    }
    if (isVoided(revocations, holderOf(principal))) throw unauthorized("The session has been revoked");
    return principal;
  }
  let platform: Platform | null;
  // A key not cached (found or missed) costs the client one of its lookups before D1 is asked:
  // a flood of made-up keys is answered 429 past the allowance, never by D1.
  const beforeLookup = () => spendLookup(env, client);
  try {
    platform = (await platformForKey(env.DB, token, beforeLookup)) ?? (await demoPlatformFor(env, token));
  } catch (error) {
    if (error instanceof ApiError) throw error; // over the client's lookups: 429
    // The lookup is one fixed query: when it throws, D1 is down or overloaded, not the caller wrong.
    console.error("key lookup failed", error);
    throw unavailable();
  }
  if (!platform) throw unauthorized("The API key is unknown or revoked");
  return { kind: "platform", platform, keyHash: await sha256Hex(token) };
}

/**
 * The secrets sessions are signed with. A weak one outside local development refuses every
 * session (500, and the reason in the log), rather than hand out tokens anyone could forge.
 */
export async function sessionKeyring(env: Env): Promise<Keyring> {
  try {
    return await keyringOf(env);
  } catch (error) {
    if (!(error instanceof SessionSecretRefused)) throw error;
    throw misconfigured(
      `sessions refused: ${error.message}; set a new one with wrangler secret put SESSION_SECRET`,
      "Sessions are unavailable until this service's operator sets a strong session secret",
    );
  }
}

export function requirePlatformKey(principal: Principal): Platform {
  if (principal.kind !== "platform") throw forbidden("This endpoint takes the platform's API key");
  return principal.platform;
}

/**
 * The operator's views: an operator session, or the platform's own key (the platform owns its
 * operator). A seller's session is 403.
 */
const NOT_FOR_SELLERS = "This endpoint takes an operator session or the platform's key";
export const operatorAccess = answers(
  createMiddleware<AppEnv>(async (c, next) => {
    if (c.get("principal").kind === "seller") throw forbidden(NOT_FOR_SELLERS);
    await next();
  }),
  answer("A seller's session", forbidden(NOT_FOR_SELLERS)),
);

/** A seller token reads only its own seller; the platform key and operators read any of theirs. */
function requireSellerAccess(principal: Principal, sellerId: string): Platform {
  if (principal.kind === "seller" && principal.sellerId !== sellerId) {
    throw forbidden("This session may read only its own seller");
  }
  return principal.platform;
}
