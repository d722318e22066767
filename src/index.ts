/**
 * The Worker's entry: the Hono app for fetch, the queue consumers (events, jobs, webhooks and
 * their dead letters), the hourly cron, and the Durable Object classes it hosts.
 */
import { app } from "./app.ts";
import { startHourlyJobs } from "./cron.ts";
import { recordDeadLetters, recordStrayDeadLetters } from "./dead-letters/record.ts";
import { consumeJobs } from "./jobs.ts";
import { observeBatch, observeCron, observeHotRead } from "./ops/observe.ts";
import { consumeEvents } from "./pipeline/consumer.ts";
import { cachedTopProducts } from "./rankings/top-products.ts";
import { deadLetterSweep } from "./retention/object-sweeps.ts";
import { consumeWebhooks } from "./webhooks/deliveries.ts";

export { AllowanceCounter } from "./http/allowance-counter.ts";
export { SellerLedger } from "./ledger/seller-ledger.ts";

/** Each queue's consumer (every batch is logged: src/ops/observe.ts). */
function consumerOf(queue: string): (batch: MessageBatch, env: Env) => Promise<unknown> {
  if (queue.endsWith("-dlq")) return recordDeadLetters;
  if (queue.endsWith("-jobs")) return consumeJobs;
  if (queue.endsWith("-webhooks")) return consumeWebhooks;
  return consumeEvents;
}

export default {
  async fetch(request, env, ctx) {
    const started = Date.now();
    const hot = await cachedTopProducts(request);
    return hot ? observeHotRead(request, hot, env, started) : app.fetch(request, env, ctx);
  },
  async queue(batch, env) {
    await observeBatch(batch, env, consumerOf(batch.queue));
  },
  async scheduled(controller, env) {
    await observeCron(controller.cron, env, async (env) => {
      // Dead letters whose copy waits in R2 because D1 could not take them when they came.
      const strays = recordStrayDeadLetters(env).catch((error) => console.error("stray dead letters wait", error));
      // Dead letters that name no platform: no platform's retention job reaches them.
      const unowned = deadLetterSweep(env, null, controller.scheduledTime)().catch((error) =>
        console.error("unowned dead letters not swept", error),
      );
      await startHourlyJobs(env, controller.scheduledTime, controller.cron);
      await Promise.all([strays, unowned]);
    });
  },
} satisfies ExportedHandler<Env>;
