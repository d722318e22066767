/**
 * The events queue consumer. A batch is grouped by seller and each seller's ledger gets one
 * RPC with all its events. A message is acked only when every ledger it touches has stored
 * its events; otherwise it is retried with backoff (the ledgers drop what they already have),
 * and after max_retries it lands in the dead-letter queue. Every delivery may be the second.
 */
import { queueMessageSchema, type SellerEvent } from "../events/schema.ts";
import { drizzle } from "drizzle-orm/d1";
import { deadLetters } from "../db/schema.ts";

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

export async function consumeEvents(batch: MessageBatch, env: Env): Promise<void> {
  const groups = new Map<string, SellerGroup>();
  for (const message of batch.messages) {
    const parsed = queueMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      // Not something ingest would send: let it reach the dead-letter queue for a human.
      console.error("malformed events message", message.id);
      message.retry();
      continue;
    }
    const { platform, currency, events } = parsed.data;
    for (const event of events) {
      const key = `${platform}:${event.seller_id}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { platform, currency, sellerId: event.seller_id, events: [], messages: new Set() }));
      group.events.push(event);
      group.messages.add(message);
    }
  }
  const failed = new Set<Message>();
  await Promise.all(
    [...groups].map(async ([key, group]) => {
      try {
        await env.LEDGER.getByName(key).apply(group.platform, group.sellerId, group.currency, group.events);
      } catch (error) {
        console.error("ledger apply failed", key, error);
        group.messages.forEach((m) => failed.add(m));
      }
    }),
  );
  for (const message of batch.messages) {
    if (failed.has(message)) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    else if (groupsHold(groups, message)) message.ack();
  }
}

function groupsHold(groups: Map<string, SellerGroup>, message: Message): boolean {
  for (const group of groups.values()) if (group.messages.has(message)) return true;
  return false;
}

/** Dead letters are recorded in D1, where the operator sees them and can replay them. */
export async function recordDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  const receivedAt = new Date().toISOString();
  const rows = batch.messages.map((m) => ({ queue: batch.queue, body: JSON.stringify(m.body), receivedAt }));
  await drizzle(env.DB).insert(deadLetters).values(rows);
  batch.ackAll();
}
