/**
 * The events queue's max_batch_size (wrangler.toml; test/node/config.test.ts holds them equal): the
 * consumer's share of a backlog (share.ts) is planned for batches of at most this many messages.
 */
export const MAX_BATCH_MESSAGES = 100;
