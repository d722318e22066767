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

/** The delay before one flush: at least FLUSH_DELAY_MS, less than FLUSH_DELAY_MS + FLUSH_JITTER_MS. */
export function flushDelay(random: number = Math.random()): number {
  return FLUSH_DELAY_MS + Math.floor(random * FLUSH_JITTER_MS);
}
