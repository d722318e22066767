/**
 * The rates of a platform's allowances (src/db/allowances.ts), counted per caller in AllowanceCounter
 * objects: ingest events and sessions minted per platform, reads per principal. Each isolate takes
 * a lease of tokens (a twentieth of the rate) and spends it locally, and remembers a refusal until
 * its wait is over, so a counter hears from an isolate a few times per period, not once per
 * request. Over a rate: 429 with Retry-After. A counter that cannot be reached lets the call
 * through (logged): a rate must never take the service down.
 * Key lookups are the one rate counted per client address instead: an unknown key has no platform
 * whose allowance could count it, so LOOKUP_LIMITER, a Workers Rate Limiting binding (wrangler.toml),
 * takes one per API key looked up in D1 (a key cached, found or missed, costs none).
 */
import type { Principal } from "../auth/principal.ts";
import { type AllowanceName, LOOKUP_RATE_PERIOD_SECONDS, RATE_PERIOD_SECONDS } from "../db/allowances.ts";
import { allowancesOf } from "../db/platform-allowances.ts";
import { ApiError } from "./errors.ts";

export type Rate = "ingest" | "reads" | "sessions";
const ALLOWANCE_OF: Record<Rate, AllowanceName> = {
  ingest: "ingest_events_per_10s",
  reads: "reads_per_10s",
  sessions: "sessions_per_10s",
};
/** A POST /v1/events counts as at least this many events, whatever it holds. */
export const MIN_INGEST_UNITS = 100;
/** A lease is this share of the rate (at least one token). */
const LEASE_SHARE = 20;
const MAX_LEASES = 10_000;

/** The one key a principal's reads are counted under: a seller's sessions share one. */
export function rateKeyOf(principal: Principal): string {
  if (principal.kind === "platform") return `platform:${principal.platform.id}`;
  if (principal.kind === "operator") return `operator:${principal.platform.id}`;
  return `seller:${principal.platform.id}:${principal.sellerId}`;
}

/**
 * The benchmarks measure the app beyond one caller's rate (a summary polled every 5 ms, 24,000
 * events/s): they start `wrangler dev` with RATE_LIMITS=off, which only a local environment honours.
 */
function limitsLifted(env: Env): boolean {
  const { RATE_LIMITS, ENVIRONMENT } = env as { RATE_LIMITS?: string; ENVIRONMENT: string };
  return RATE_LIMITS === "off" && (ENVIRONMENT === "development" || ENVIRONMENT === "test");
}

interface Lease {
  /** Tokens taken from the counter and not yet spent. */
  left: number;
  /** Refused until then (ms since the epoch): no need to ask again before. */
  refusedUntil: number;
}
const leases = new Map<string, Lease>();

/**
 * Takes `units` of the rate for `key`; returns 0 when taken, or the seconds to wait. `force` (an
 * import's chunk) is granted whole while the counter has any token left, into debt.
 */
export async function takeRate(
  env: Env,
  rate: Rate,
  platform: string,
  key: string,
  units: number,
  force = false,
): Promise<number> {
  if (units <= 0 || limitsLifted(env)) return 0;
  const name = `${rate}:${key}`;
  const now = Date.now();
  const lease = leases.get(name) ?? { left: 0, refusedUntil: 0 };
  if (lease.left >= units) {
    lease.left -= units;
    return 0;
  }
  if (lease.refusedUntil > now) return Math.ceil((lease.refusedUntil - now) / 1000);
  // What is left of the lease goes into this call; calls at once must not count it twice.
  const had = lease.left;
  lease.left = 0;
  const limit = (await allowancesOf(env, platform))[ALLOWANCE_OF[rate]];
  let taken: { granted: number; retryAfterMs: number };
  try {
    taken = await env.ALLOWANCE_COUNTER.getByName(name).take({
      units: units - had,
      limit,
      periodMs: RATE_PERIOD_SECONDS * 1000,
      lease: Math.max(1, Math.ceil(limit / LEASE_SHARE)),
      force,
    });
  } catch (error) {
    console.error("allowance counter not reached; the call goes through", name, error);
    return 0;
  }
  if (leases.size >= MAX_LEASES) leases.clear();
  // Calls at once each asked the counter: what each was granted joins the isolate's one lease
  // (replacing it would strand the others' tokens), and a refused call may still be paid from it.
  const current = leases.get(name) ?? { left: 0, refusedUntil: 0 };
  leases.set(name, current);
  current.left += had + taken.granted;
  if (current.left >= units) {
    current.left -= units;
    current.refusedUntil = 0;
    return 0;
  }
  current.refusedUntil = now + taken.retryAfterMs;
  return Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
}

/** Takes `units` of the rate for `key`, or answers 429 with Retry-After. */
export async function spendRate(env: Env, rate: Rate, platform: string, key: string, units: number): Promise<void> {
  const wait = await takeRate(env, rate, platform, key, units);
  if (wait > 0) throw rateLimited(wait, rate);
}

/** A Workers Rate Limiting binding, as far as this module uses one. */
interface Limiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** Takes one key lookup from the client's LOOKUP_LIMITER allowance, or answers 429 with Retry-After (the window). */
export async function spendLookup(env: Env, client: string): Promise<void> {
  if (limitsLifted(env)) return;
  const limiter: Limiter = env.LOOKUP_LIMITER;
  if ((await limiter.limit({ key: `client:${client}` })).success) return;
  throw rateLimited(LOOKUP_RATE_PERIOD_SECONDS, "lookups");
}

const RATE_NAME: Record<Rate | "lookups", string> = { ...ALLOWANCE_OF, lookups: "key lookups per client address" };

/** The 429 of a caller over one of its rates: wait `seconds` (Retry-After) and send again. */
export const rateLimited = (seconds: number, rate: Rate | "lookups") =>
  new ApiError(429, "rate_limited", `Over this caller's ${RATE_NAME[rate]}; retry after the delay`, undefined, {
    "Retry-After": String(seconds),
  });
