// The cadence of the ledgers' flushes to D1 (read by the ledger and the benchmarks).

/**
 * How long changes gather before the alarm flushes them to D1 (the same alarm may ring sooner
 * for a live socket: it flushes only once this is due). D1 feeds the hourly jobs, so
 * half a minute of lag costs nothing, while each flush is a D1 write batch: at 2 s, the
 * flushes of 1,000 busy sellers took most of the local runtime's time (npm run bench).
 */
export const FLUSH_DELAY_MS = 30_000;

/**
 * Up to this much more, at random, so that sellers that got traffic at the same moment do not
 * all flush at the same moment: 50 ledgers flushing at once held up reads for ~150 ms (the
 * freshness benchmark's summary p99 went from 178 ms without flushes to 323 ms with them).
 */
export const FLUSH_JITTER_MS = 30_000;

/** The delay before one flush: at least FLUSH_DELAY_MS, less than FLUSH_DELAY_MS + FLUSH_JITTER_MS. */
export function flushDelay(random: number = Math.random()): number {
  return FLUSH_DELAY_MS + Math.floor(random * FLUSH_JITTER_MS);
}
