/**
 * When to try a request of events again: which answers are worth a retry, the exponential backoff
 * with full jitter between attempts, and the server's own `Retry-After` (seconds or an HTTP date).
 */
import type { RetryOptions } from "./types.ts";

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 8, baseDelayMs: 500, maxDelayMs: 30_000 };

/** 408, 429 and 5xx: the same request may succeed later. Any other status will not change. */
export function isRetriable(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Full jitter: a uniform wait below a cap that doubles with each retry (`retry` counts from 1). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}

/** The wait a `Retry-After` header asks for, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** setTimeout as a promise that rejects when `signal` aborts (a close() that ran out of time). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
