/**
 * Puts validated events on the events queue, many per message: one message per event would
 * not keep up. Events are ordered by seller so that a message touches few ledgers, then packed
 * into messages of at most ~100 KB (the limit is 128 KB) and sent in batches within
 * sendBatch's limits (100 messages, 256 KB). Resolves only once every message is queued.
 */

import type { Platform } from "../auth/principal.ts";
import type { QueueMessage, SellerEvent } from "../events/schema.ts";

const MESSAGE_BYTES = 100_000;
const BATCH_BYTES = 240_000;
const BATCH_MESSAGES = 100;

function packMessages(platform: Platform, events: SellerEvent[]): { body: QueueMessage; bytes: number }[] {
  const encoder = new TextEncoder();
  const sorted = [...events].sort((a, b) => (a.seller_id < b.seller_id ? -1 : a.seller_id > b.seller_id ? 1 : 0));
  const messages: { body: QueueMessage; bytes: number }[] = [];
  let current: { body: QueueMessage; bytes: number } | null = null;
  for (const event of sorted) {
    const bytes = encoder.encode(JSON.stringify(event)).byteLength + 1;
    if (!current || current.bytes + bytes > MESSAGE_BYTES) {
      current = { body: { platform: platform.id, currency: platform.currency, events: [] }, bytes: 100 };
      messages.push(current);
    }
    current.body.events.push(event);
    current.bytes += bytes;
  }
  return messages;
}

export async function enqueueEvents(queue: Queue, platform: Platform, events: SellerEvent[]): Promise<void> {
  await sendMessages(queue, packMessages(platform, events));
}

/** Sends packed messages in as few sendBatch calls as its limits (100 messages, 256 KB) allow. */
export async function sendMessages(queue: Queue, messages: { body: QueueMessage; bytes: number }[]): Promise<void> {
  let batch: MessageSendRequest[] = [];
  let batchBytes = 0;
  for (const message of messages) {
    if (batch.length === BATCH_MESSAGES || batchBytes + message.bytes > BATCH_BYTES) {
      await queue.sendBatch(batch);
      [batch, batchBytes] = [[], 0];
    }
    batch.push({ body: message.body, contentType: "json" });
    batchBytes += message.bytes;
  }
  if (batch.length > 0) await queue.sendBatch(batch);
}
