/**
 * When a webhook delivery is tried again, and when it is given up: pure, so the wrangler.toml
 * test can hold the queue's settings to it.
 */
const FIRST_RETRY_S = 30;
const MAX_RETRY_S = 3_600;
/** How long a delivery keeps being retried (over a day), from its first attempt or its replay. */
export const GIVE_UP_MS = 25 * 3_600_000;
/**
 * The webhooks queue's max_retries + 1 (wrangler.toml; a test holds them equal): the last attempt
 * the queue makes keeps a failure as failed rather than letting it go to the dead-letter queue
 * still pending. The delays make the retries outlast GIVE_UP_MS first (a test checks).
 */
export const MAX_DELIVERY_ATTEMPTS = 101;

/** Exponential from 30 s, at most an hour, with jitter (half to all of it) so retries spread out. */
export function retryDelaySeconds(attempts: number, random = Math.random()): number {
  const full = Math.min(MAX_RETRY_S, FIRST_RETRY_S * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + (random * full) / 2);
}
