/**
 * The events queue consumer. A batch is grouped by seller and each seller's ledger gets one
 * RPC with all its events (LEDGER_CALLS_AT_ONCE in flight). A message is acked only when every
 * ledger it touches has stored its events; otherwise it is retried with backoff (the ledgers
 * drop what they already have), and after max_retries it lands in the dead-letter queue. Every
 * delivery may be the second.
 *
 * One invocation calls at most MAX_SELLERS_PER_INVOCATION ledgers: calls to Durable Objects
 * count against a Worker invocation's subrequests (10,000 by default on the paid plan), and a
 * batch of 100 messages can name tens of thousands of sellers. Messages beyond it are put back
 * on the queue as new messages (then acked), so that being deferred never counts as a failed
 * attempt. The cap leaves room under the limit for the requeue itself, and is as high as that
 * allows, since every deferred message costs a trip round the queue.
 */
import { drizzle } from "drizzle-orm/d1";
import { deadLetters } from "../db/tables/core.ts";
import { type QueueMessage, queueMessageSchema, type SellerEvent } from "../events/schema.ts";
import { eachAtMost } from "./at-most.ts";
import { sendMessages } from "./producer.ts";

const MAX_SELLERS_PER_INVOCATION = 2_000;

/**
 * Ledger calls in flight at once: enough to hide each call's round trip (2,000 calls in waves
 * of 64 are ~31 round trips), few enough that locally, where every object shares the runtime's
 * one thread, they do not crowd each other out (docs/benchmarks.md has the measurements).
 */
const LEDGER_CALLS_AT_ONCE = 64;

interface SellerGroup {
  platform: string;
  currency: string;
  sellerId: string;
  events: SellerEvent[];
  messages: Set<Message>;
}

export function retryDelaySeconds(attempts: number): number {
  return Math.min(2 ** attempts, 300);
}

/** What one invocation did: the ledgers it called and the messages it put back on the queue. */
export interface Consumed {
  ledgers: number;
  deferred: number;
}

export async function consumeEvents(
  batch: MessageBatch,
  env: Env,
  maxSellers = MAX_SELLERS_PER_INVOCATION,
): Promise<Consumed> {
  const groups = new Map<string, SellerGroup>();
  const deferred: { message: Message; body: QueueMessage }[] = [];
  for (const message of batch.messages) {
    const parsed = queueMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      // Not something ingest would send: let it reach the dead-letter queue for a human.
      console.error("malformed events message", message.id);
      message.retry();
      continue;
    }
    const { platform, currency, events } = parsed.data;
    const keyOf = (event: SellerEvent) => `${platform}:${event.seller_id}`;
    const newSellers = new Set(events.map(keyOf).filter((key) => !groups.has(key))).size;
    if (groups.size > 0 && groups.size + newSellers > maxSellers) {
      deferred.push({ message, body: parsed.data });
      continue;
    }
    for (const event of events) {
      const key = keyOf(event);
      let group = groups.get(key);
      if (!group) {
        group = { platform, currency, sellerId: event.seller_id, events: [], messages: new Set() };
        groups.set(key, group);
      }
      group.events.push(event);
      group.messages.add(message);
    }
  }
  const failed = new Set<Message>();
  await eachAtMost([...groups], LEDGER_CALLS_AT_ONCE, async ([key, group]) => {
    try {
      await env.LEDGER.getByName(key).apply(group.platform, group.sellerId, group.currency, group.events);
    } catch (error) {
      console.error("ledger apply failed", key, error);
      for (const message of group.messages) failed.add(message);
    }
  });
  const taken = new Set([...groups.values()].flatMap((g) => [...g.messages]));
  for (const message of taken) {
    if (failed.has(message)) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    else message.ack();
  }
  await requeue(env.EVENTS, deferred);
  return { ledgers: groups.size, deferred: deferred.length };
}

/** Puts deferred messages back as new ones, then acks them; if that fails, they are retried. */
async function requeue(queue: Queue, deferred: { message: Message; body: QueueMessage }[]): Promise<void> {
  if (deferred.length === 0) return;
  const encoder = new TextEncoder();
  try {
    await sendMessages(
      queue,
      deferred.map(({ body }) => ({ body, bytes: encoder.encode(JSON.stringify(body)).byteLength })),
    );
    for (const { message } of deferred) message.ack();
  } catch (error) {
    // Some may have been sent already: their events arrive twice, and the ledgers drop the copy.
    console.error("requeue failed", error);
    for (const { message } of deferred) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

/** Dead letters are recorded in D1, where the operator sees them and can replay them. */
export async function recordDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  const receivedAt = new Date().toISOString();
  const rows = batch.messages.map((m) => ({ queue: batch.queue, body: JSON.stringify(m.body), receivedAt }));
  await drizzle(env.DB).insert(deadLetters).values(rows);
  batch.ackAll();
}
