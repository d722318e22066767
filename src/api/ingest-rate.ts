/**
 * The ingest limiter's period, which a platform over its rate is told to wait (Retry-After).
 * The limiter itself is configured in wrangler.toml ([[ratelimits]] INGEST_LIMITER): a test
 * (test/node/config.test.ts) holds the two equal.
 */
export const INGEST_RATE_PERIOD_SECONDS = 10;
