/**
 * Cloudflare's list prices for what `npm run bench:bill` counts, Workers Paid plan, beyond the
 * monthly allowances (the bill per million events is marginal: no allowance is taken off). Read on
 * 2026-12-07 from Cloudflare's pricing pages (developers.cloudflare.com: workers/platform/pricing,
 * durable-objects/platform/pricing, d1/platform/pricing, queues/platform/pricing, kv/platform/pricing,
 * r2/pricing, analytics/analytics-engine/pricing). Only this file holds prices.
 */

export const PRICES_READ_ON = "2026-12-07";

/** US dollars per unit. */
export const PRICE = {
  /** Workers: per request (fetch, queue batch, cron run), $0.30 per million. */
  request: 0.3e-6,
  /** Workers CPU: $0.02 per million CPU milliseconds. */
  cpuMs: 0.02e-6,
  /** Queues: $0.40 per million operations; a message is written, read and deleted, one operation per 64 KB each. */
  queueOp: 0.4e-6,
  /** Durable Objects: $0.15 per million requests (each RPC call, each alarm). */
  doRequest: 0.15e-6,
  /** Durable Objects: $12.50 per million GB-s of wall-clock while active, at 128 MB. */
  doGbSecond: 12.5e-6,
  /** SQLite in Durable Objects and D1 alike: rows read $0.001 per million, rows written $1.00 per million. */
  rowRead: 0.001e-6,
  rowWritten: 1e-6,
  /** KV: reads $0.50 per million; writes, deletes and lists $5.00 per million. */
  kvRead: 0.5e-6,
  kvWrite: 5e-6,
  /** R2: class A (writes, lists) $4.50 per million; class B (reads) $0.36 per million. */
  r2ClassA: 4.5e-6,
  r2ClassB: 0.36e-6,
  /** Workers Logs: $0.60 per million log lines. */
  logLine: 0.6e-6,
  /** Storage, per GB-month: Durable Object SQLite $0.20, D1 $0.75, KV $0.50, R2 $0.015. */
  doGbMonth: 0.2,
  d1GbMonth: 0.75,
  kvGbMonth: 0.5,
  r2GbMonth: 0.015,
} as const;

/** Memory a Durable Object is billed for, in GB. */
export const DO_GB = 0.128;
