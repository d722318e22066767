/**
 * The cadence of the ledgers' flushes to D1 (read by the ledger, its tests and the benchmarks).
 * Each flush is a D1 write batch; waiting lets a busy seller's writes coalesce into one.
 */

/**
 * How long changes gather before the alarm flushes them to D1 (the same alarm may ring sooner
 * for a live socket: it flushes only once this is due). D1 feeds the hourly jobs, so half a
 * minute of lag costs nothing, while flushing every few seconds would make flushes most of the
 * work of many busy sellers.
 */
export const FLUSH_DELAY_MS = 30_000;

/**
 * Up to this much more, at random, so that sellers that got traffic at the same moment do not
 * all flush at the same moment (a burst of flushes holds up the reads behind it).
 */
export const FLUSH_JITTER_MS = 30_000;

/**
 * The delay before one flush: at least FLUSH_DELAY_MS, less than FLUSH_DELAY_MS + FLUSH_JITTER_MS;
 * with a deployment's own delay (`baseMs`, from FLUSH_DELAY_SECONDS), at least it and less than twice it.
 */
export function flushDelay(random: number = Math.random(), baseMs = FLUSH_DELAY_MS): number {
  return baseMs + Math.floor(random * (baseMs === FLUSH_DELAY_MS ? FLUSH_JITTER_MS : baseMs));
}

/**
 * The deployment's flush delay (FLUSH_DELAY_SECONDS, 30 by default). Longer, fewer flushes of a
 * busy seller (each a D1 write batch: fewer rows on the bill) and D1 further behind; shorter,
 * the reverse (`npm run bench:bill` shortens it with the day it compresses).
 */
export function flushBaseMs(env: { FLUSH_DELAY_SECONDS?: string }): number {
  const seconds = Number(env.FLUSH_DELAY_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : FLUSH_DELAY_MS;
}

/** The most a flush that keeps failing waits before its next try. */
export const FLUSH_RETRY_MAX_MS = 15 * 60_000;

/**
 * The wait before trying a failed flush again, after `failures` failures in a row: FLUSH_DELAY_MS
 * doubled with each failure up to FLUSH_RETRY_MAX_MS, then a random half of it taken off ("equal
 * jitter"), so that ledgers that failed together (D1 was down for all) do not all retry together.
 */
export function flushRetryDelay(failures: number, random: number = Math.random()): number {
  const ceiling = Math.min(FLUSH_DELAY_MS * 2 ** Math.max(0, failures - 1), FLUSH_RETRY_MAX_MS);
  return Math.ceil(ceiling / 2 + random * (ceiling / 2));
}
