/**
 * Every allowance is per platform: a default in wrangler.toml [vars] (ALLOWANCE_<NAME>), and a
 * value of the platform's own where the operator of the deployment set one
 * (`node scripts/admin.ts set-allowance`, D1 platform_allowances). Rates are per 10 s and counted
 * by the allowance counters (src/http/rate-limits.ts); counts are checked where the thing is made
 * (over one: 409 limit_reached); a platform's values are read by platform-allowances.ts. Pure:
 * never reads D1, never counts anything.
 */
import { z } from "zod";

interface AllowanceDef {
  /** A rate (per RATE_PERIOD_SECONDS) or a count of things that exist at once (or per day). */
  kind: "rate" | "count";
  /** The least it may be set to (a request of events counts as at least 100). */
  min: number;
  describe: string;
}

/** Every allowance, by the name the admin command and GET /v1/ops/allowances use. */
export const ALLOWANCES = {
  ingest_events_per_10s: {
    kind: "rate",
    min: 100,
    describe: "events in per 10 s, from POST /v1/events (a request counts as at least 100) and imports alike",
  },
  reads_per_10s: {
    kind: "rate",
    min: 1,
    describe: "calls per 10 s per caller (the platform key, its operator, each seller)",
  },
  sessions_per_10s: { kind: "rate", min: 1, describe: "sessions minted per 10 s" },
  imports_at_once: { kind: "count", min: 0, describe: "imports queued or running at once" },
  import_bytes_per_day: { kind: "count", min: 0, describe: "bytes of files imported per UTC day" },
  rebuilds_at_once: { kind: "count", min: 0, describe: "rebuilds from the event archive running at once" },
  webhooks: { kind: "count", min: 0, describe: "webhooks subscribed at once" },
  categories: { kind: "count", min: 1, describe: "categories ranked (a category past it counts in figures, unranked)" },
  live_sockets_per_seller: { kind: "count", min: 0, describe: "live dashboard sockets open at once per seller" },
} as const satisfies Record<string, AllowanceDef>;

export type AllowanceName = keyof typeof ALLOWANCES;
export type Allowances = Record<AllowanceName, number>;
export const ALLOWANCE_NAMES = Object.keys(ALLOWANCES) as AllowanceName[];
export const RATE_PERIOD_SECONDS = 10;
/**
 * Key lookups per client address are no allowance (an unknown key names no platform): the Rate
 * Limiting binding LOOKUP_LIMITER counts them (src/http/rate-limits.ts); its wrangler.toml period.
 */
export const LOOKUP_RATE_PERIOD_SECONDS = 10;
/** The largest value any allowance takes: an integer D1 and JavaScript agree on. */
const MAX_ALLOWANCE = 1e12;

/** The wrangler.toml variable that holds an allowance's default. */
const varOf = (name: AllowanceName) => `ALLOWANCE_${name.toUpperCase()}`;

/** A value the allowance may take, or why not. */
export function allowanceProblem(name: AllowanceName, value: number): string | null {
  const { min } = ALLOWANCES[name];
  if (!Number.isSafeInteger(value) || value < min || value > MAX_ALLOWANCE)
    return `${name} is a whole number from ${min} to ${MAX_ALLOWANCE}`;
  return null;
}

/** One allowance's default, from wrangler.toml [vars]; a missing or bad one stops with a clear error. */
export function allowanceDefault(vars: object, name: AllowanceName): number {
  const raw = (vars as Record<string, unknown>)[varOf(name)];
  const value = z.coerce.number().safeParse(raw);
  const problem = value.success && raw !== "" ? allowanceProblem(name, value.data) : "missing";
  if (problem !== null) throw new Error(`wrangler.toml [vars] ${varOf(name)} is ${String(raw)}: ${problem}`);
  return value.data as number;
}

/** Every allowance's default. */
export function defaultAllowances(vars: object): Allowances {
  return Object.fromEntries(ALLOWANCE_NAMES.map((name) => [name, allowanceDefault(vars, name)])) as Allowances;
}
