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

/** A message to send, with its size (what sendBatch's limits count), after `delaySeconds` if given. */
export interface Packed {
  body: QueueMessage;
  bytes: number;
  delaySeconds?: number;
}

/**
 * One platform's events as messages, ordered by seller; each message holds at most `maxSellers`
 * sellers (the consumer's put-back messages: few enough that a batch of them fits one invocation).
 */
export function packEvents(
  head: Omit<QueueMessage, "events">,
  events: SellerEvent[],
  maxSellers = Number.POSITIVE_INFINITY,
): Packed[] {
  const encoder = new TextEncoder();
  const sorted = [...events].sort((a, b) => (a.seller_id < b.seller_id ? -1 : a.seller_id > b.seller_id ? 1 : 0));
  const headBytes = encoder.encode(JSON.stringify({ ...head, events: [] })).byteLength;
  const messages: Packed[] = [];
  let current: (Packed & { sellers: number; last: string | null }) | null = null;
  for (const event of sorted) {
    const bytes = encoder.encode(JSON.stringify(event)).byteLength + 1;
    const newSeller = current?.last !== event.seller_id;
    if (!current || current.bytes + bytes > MESSAGE_BYTES || (newSeller && current.sellers >= maxSellers)) {
      current = { body: { ...head, events: [] }, bytes: headBytes, sellers: 0, last: null };
      messages.push(current);
    }
    if (current.last !== event.seller_id) current.sellers++;
    current.last = event.seller_id;
    current.body.events.push(event);
    current.bytes += bytes;
  }
  return messages.map(({ body, bytes }) => ({ body, bytes }));
}

export async function enqueueEvents(queue: Queue, platform: Platform, events: SellerEvent[]): Promise<void> {
  await sendMessages(queue, packEvents({ platform: platform.id, currency: platform.currency }, events));
}

/** Sends packed messages in as few sendBatch calls as its limits (100 messages, 256 KB) allow. */
export async function sendMessages(queue: Queue, messages: Packed[]): Promise<void> {
  let batch: MessageSendRequest[] = [];
  let batchBytes = 0;
  for (const message of messages) {
    if (batch.length === BATCH_MESSAGES || batchBytes + message.bytes > BATCH_BYTES) {
      await queue.sendBatch(batch);
      [batch, batchBytes] = [[], 0];
    }
    const delay = message.delaySeconds === undefined ? {} : { delaySeconds: message.delaySeconds };
    batch.push({ body: message.body, contentType: "json", ...delay });
    batchBytes += message.bytes;
  }
  if (batch.length > 0) await queue.sendBatch(batch);
}
