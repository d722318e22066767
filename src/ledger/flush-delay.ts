// The cadence of the ledgers' flushes to D1 (read by the ledger and the benchmarks).

/**
 * How long changes gather before the alarm flushes them to D1. D1 feeds the hourly jobs, so
 * half a minute of lag costs nothing, while each flush is a D1 write batch: at 2 s, the
 * flushes of 1,000 busy sellers took most of the local runtime's time (npm run bench).
 */
export const FLUSH_DELAY_MS = 30_000;
