/**
 * The events queue consumer. A batch is grouped by seller and each seller's ledger gets one
 * RPC with all its events (LEDGER_CALLS_AT_ONCE in flight). A message is acked only when every
 * ledger it touches has stored its events; otherwise it is retried with backoff (the ledgers
 * drop what they already have), and after max_retries it lands in the dead-letter queue. Every
 * delivery may be the second.
 *
 * One invocation calls at most MAX_SELLERS_PER_INVOCATION ledgers; what a batch names beyond it
 * is put back on the queue, cut by seller, so that it is applied by the next invocation that takes
 * it, without spending a retry (src/pipeline/share.ts has the plan and its promise).
 *
 * Before anything is applied, the batch's events are archived to R2 (src/archive/), so that a
 * ledger can always be rebuilt from what it was given. If R2 cannot take them, they are applied
 * all the same and their archive copy waits on the queue until it can (archive-later.ts): an R2
 * outage neither stops the figures nor sends the stream to the dead-letter queue.
 * When a seller's call fails, each of its messages is tried on its own, so that one bad event
 * sends only its own message towards the dead-letter queue, not every message co-batched with it.
 */

import { type ArchiveGroup, archiveEvents } from "../archive/archive-write.ts";
import { ledgerName } from "../auth/ledger-names.ts";
import { type QueueMessage, queueMessageSchema, type SellerEvent } from "../events/schema.ts";
import { eachAtMost } from "../queues/at-most.ts";
import { bodyOf } from "../queues/message-body.ts";
import { holdForArchive } from "./archive-later.ts";
import { type Packed, sendMessages } from "./producer.ts";
import { MAX_SELLERS_PER_INVOCATION, shareOf } from "./share.ts";

/**
 * Ledger calls in flight at once: enough to hide each call's round trip (2,000 calls in waves
 * of 64 are ~31 round trips), few enough that locally, where every object shares the runtime's
 * one thread, they do not crowd each other out (docs/performance.md has the measurements).
 */
const LEDGER_CALLS_AT_ONCE = 64;

/**
 * How long one ledger call may take before its messages are retried: a call takes milliseconds,
 * so one that hangs (an overloaded or stuck object) must not hold the whole batch. If it finishes
 * after all, the retry finds its events stored and adds nothing.
 */
const LEDGER_CALL_TIMEOUT_MS = 30_000;

interface SellerGroup {
  platform: string;
  currency: string;
  sellerId: string;
  /** The seller's events, by the message they came in. */
  byMessage: Map<Message, SellerEvent[]>;
}

export interface ConsumeOptions {
  maxSellers?: number;
  ledgerTimeoutMs?: number;
}

export function retryDelaySeconds(attempts: number): number {
  return Math.min(2 ** attempts, 300);
}

/** What one invocation did: the events it applied, the ledgers it called and the messages it put back. */
export interface Consumed {
  events: number;
  ledgers: number;
  deferred: number;
}

export async function consumeEvents(
  batch: MessageBatch,
  env: Env,
  { maxSellers = MAX_SELLERS_PER_INVOCATION, ledgerTimeoutMs = LEDGER_CALL_TIMEOUT_MS }: ConsumeOptions = {},
): Promise<Consumed> {
  const parsed: { message: Message; body: QueueMessage }[] = [];
  /** Archive copies of events applied earlier, while R2 was down: archived, never applied. */
  const copies = new Map<Message, QueueMessage>();
  for (const message of batch.messages) {
    const body = bodyOf(message, queueMessageSchema, "events");
    if (body?.archive_only) copies.set(message, body);
    else if (body) parsed.push({ message, body });
  }
  const share = shareOf(parsed, maxSellers);
  const deferred = { messages: share.deferred, resend: share.resend };
  const taken = new Map(share.taken.map(({ message, body }) => [message, body]));
  const groups = new Map<string, SellerGroup>();
  for (const [message, { platform, currency, events }] of taken) {
    for (const event of events) {
      const key = ledgerName(platform, event.seller_id);
      let group = groups.get(key);
      if (!group) {
        group = { platform, currency, sellerId: event.seller_id, byMessage: new Map() };
        groups.set(key, group);
      }
      const own = group.byMessage.get(message);
      if (own) own.push(event);
      else group.byMessage.set(message, [event]);
    }
  }
  const isArchived = await archived(env.BUCKET, [...taken.values(), ...copies.values()]);
  const failed = new Set<Message>();
  await eachAtMost([...groups], LEDGER_CALLS_AT_ONCE, async ([key, group]) => {
    const apply = (events: SellerEvent[]) =>
      withTimeout(
        env.LEDGER.getByName(key).apply(group.platform, group.sellerId, group.currency, events),
        ledgerTimeoutMs,
      );
    try {
      await apply([...group.byMessage.values()].flat());
    } catch (error) {
      console.error("ledger apply failed", key, error);
      if (group.byMessage.size === 1) {
        for (const message of group.byMessage.keys()) failed.add(message);
        return;
      }
      // One message at a time (arrival order never matters to a ledger): only the bad one fails.
      for (const [message, events] of group.byMessage) {
        try {
          await apply(events);
        } catch (again) {
          console.error("ledger apply failed for one message", key, message.id, again);
          failed.add(message);
        }
      }
    }
  });
  for (const message of failed) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  // Applied; archived, or held on the queue until R2 takes the copy (retried whole if even that fails).
  const done = [...taken, ...copies].filter(([message]) => !failed.has(message));
  const bodies = done.map(([, body]) => body);
  const held = isArchived || (await holdForArchive(env.EVENTS, bodies));
  for (const [message] of done) {
    if (held) message.ack();
    else message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
  await requeue(env.EVENTS, deferred);
  const events = share.taken.reduce((n, { body }) => n + body.events.length, 0);
  return { events, ledgers: groups.size, deferred: deferred.messages.length };
}

/** Archives the messages' events, one object per platform; false if that failed. */
async function archived(bucket: R2Bucket, bodies: QueueMessage[]): Promise<boolean> {
  const groups = new Map<string, ArchiveGroup>();
  for (const { platform, currency, events } of bodies) {
    const key = `${platform}\n${currency}`;
    const group = groups.get(key);
    if (group) group.events.push(...events);
    else groups.set(key, { platform, currency, events: [...events] });
  }
  if (groups.size === 0) return true;
  try {
    await archiveEvents(bucket, [...groups.values()]);
    return true;
  } catch (error) {
    console.error("archiving the batch failed; its copy waits on the queue", error);
    return false;
  }
}

/** The call's result, or a rejection once `ms` have passed without one. */
async function withTimeout<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`ledger call timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** Puts deferred messages' events back as new messages, then acks them; if that fails, they are retried. */
async function requeue(queue: Queue, deferred: { messages: Message[]; resend: Packed[] }): Promise<void> {
  if (deferred.messages.length === 0) return;
  try {
    await sendMessages(queue, deferred.resend);
    for (const message of deferred.messages) message.ack();
  } catch (error) {
    // Some may have been sent already: their events arrive twice, and the ledgers drop the copy.
    console.error("requeue failed", error);
    for (const message of deferred.messages) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
