/**
 * The Worker's entry: the Hono app for fetch, the queue consumers, the hourly cron, and the
 * Durable Object classes it hosts.
 */
import { app } from "./api/app.ts";
import { consumeEvents, recordDeadLetters } from "./queue/consumer.ts";

export { SellerLedger } from "./ledger/seller-ledger.ts";

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    if (batch.queue.endsWith("-dlq")) await recordDeadLetters(batch, env);
    else await consumeEvents(batch, env);
  },
  async scheduled() {},
} satisfies ExportedHandler<Env>;
