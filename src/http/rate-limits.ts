/**
 * Per-caller rates, so that no one caller can flood D1, the ledgers or the queue. Each limiter
 * is a Workers Rate Limiting binding configured in wrangler.toml ([[ratelimits]]), counting per
 * location in fixed windows; a test (test/node/config.test.ts) holds the periods here to theirs.
 *   INGEST_LIMITER   per platform, in units of EVENTS_PER_UNIT events (a request costs at least one)
 *   READ_LIMITER     per principal: every other call but minting sessions
 *   SESSION_LIMITER  per platform: sessions minted
 *   LOOKUP_LIMITER   per client address: API keys looked up in D1 (a key cached, found or missed, costs none)
 */
import type { Principal } from "../auth/principal.ts";
import { ApiError } from "./errors.ts";

export const INGEST_RATE_PERIOD_SECONDS = 10;
export const READ_RATE_PERIOD_SECONDS = 10;
export const SESSION_RATE_PERIOD_SECONDS = 10;
export const LOOKUP_RATE_PERIOD_SECONDS = 10;
/** What one unit of the ingest limit pays for: a request of 1,000 events costs 10. */
export const EVENTS_PER_UNIT = 100;

/** The one key a principal's calls are counted under: a seller's sessions share one. */
export function rateKeyOf(principal: Principal): string {
  if (principal.kind === "platform") return `platform:${principal.platform.id}`;
  if (principal.kind === "operator") return `operator:${principal.platform.id}`;
  return `seller:${principal.platform.id}:${principal.sellerId}`;
}

/** A Workers Rate Limiting binding, as far as this module uses one (kept structural for the Node tests). */
interface Limiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

type LimiterName = "INGEST_LIMITER" | "READ_LIMITER" | "SESSION_LIMITER" | "LOOKUP_LIMITER";
/** What spend reads of the Worker's env. */
export type RateEnv = Record<LimiterName, Limiter> & { ENVIRONMENT: string; RATE_LIMITS?: string };

/**
 * The benchmarks measure the app beyond one caller's rate (a summary polled every 5 ms, 24,000
 * events/s): they start `wrangler dev` with RATE_LIMITS=off, which only a local environment honours.
 */
const limitsLifted = (env: RateEnv) =>
  env.RATE_LIMITS === "off" && (env.ENVIRONMENT === "development" || env.ENVIRONMENT === "test");

/** Takes `units` from the caller's allowance, or answers 429 with Retry-After (the window). */
export async function spend(
  env: RateEnv,
  name: LimiterName,
  key: string,
  units: number,
  periodSeconds: number,
): Promise<void> {
  if (units <= 0 || limitsLifted(env)) return;
  const limiter = env[name];
  const results = await Promise.all(Array.from({ length: units }, () => limiter.limit({ key })));
  if (results.every((r) => r.success)) return;
  throw rateLimited(periodSeconds);
}

/** The 429 of a caller over its rate: wait a window (Retry-After) and send again. */
export const rateLimited = (periodSeconds: number) =>
  new ApiError(429, "rate_limited", "Over this caller's rate; retry after the delay", undefined, {
    "Retry-After": String(periodSeconds),
  });
