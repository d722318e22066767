/**
 * What one invocation of the events consumer takes from a batch, and what it puts back on the
 * queue: a pure plan, so that its promise holds and is tested at any scale. It never calls a
 * ledger or a queue.
 *
 * An invocation calls at most MAX_SELLERS_PER_INVOCATION ledgers (calls to Durable Objects count
 * against its subrequests). Messages past that are put back, cut by seller into messages of at
 * most MAX_SELLERS_PER_INVOCATION / MAX_BATCH_MESSAGES sellers each and marked `resent`; a batch takes every resent message
 * first, and even a batch of nothing else (MAX_BATCH_MESSAGES of them) fits under the cap. So
 * an event is sent at most twice (by ingest, then once put back), and being put back never
 * counts as a failed attempt (the original is acked), so it spends none of a message's retries.
 */
import type { QueueMessage, SellerEvent } from "../events/schema.ts";
import { MAX_BATCH_MESSAGES } from "./batch-size.ts";
import { type Packed, packEvents } from "./producer.ts";

export const MAX_SELLERS_PER_INVOCATION = 2_000;

export interface Share<M> {
  /** The messages this invocation applies, with their bodies. */
  taken: { message: M; body: QueueMessage }[];
  /** The messages put back (to ack once `resend` is on the queue). */
  deferred: M[];
  /** Their events, cut by seller, marked resent. */
  resend: Packed[];
  /** The ledgers the taken messages name. */
  sellers: number;
}

const sellerKey = (platform: string, event: SellerEvent) => `${platform}:${event.seller_id}`;

/**
 * Takes every resent message, then the others in order while their new sellers fit under
 * `maxSellers` (a first message is always taken); cuts the rest into resent messages of at most
 * max(1, maxSellers / MAX_BATCH_MESSAGES) sellers.
 */
export function shareOf<M>(
  messages: { message: M; body: QueueMessage }[],
  maxSellers = MAX_SELLERS_PER_INVOCATION,
): Share<M> {
  const keys = new Set<string>();
  const taken: Share<M>["taken"] = [];
  const take = (m: { message: M; body: QueueMessage }) => {
    taken.push(m);
    for (const event of m.body.events) keys.add(sellerKey(m.body.platform, event));
  };
  for (const m of messages) if (m.body.resent) take(m);
  const left: { message: M; body: QueueMessage }[] = [];
  for (const m of messages) {
    if (m.body.resent) continue;
    const fresh = new Set(m.body.events.map((e) => sellerKey(m.body.platform, e)).filter((k) => !keys.has(k))).size;
    if (keys.size > 0 && keys.size + fresh > maxSellers) left.push(m);
    else take(m);
  }
  return { taken, deferred: left.map((m) => m.message), resend: cut(left, maxSellers), sellers: keys.size };
}

/** The deferred messages' events, by platform and currency, as resent messages of few sellers. */
function cut(left: { body: QueueMessage }[], maxSellers: number): Packed[] {
  const perMessage = Math.max(1, Math.floor(maxSellers / MAX_BATCH_MESSAGES));
  const byHead = new Map<string, { head: Omit<QueueMessage, "events">; events: SellerEvent[] }>();
  for (const { body } of left) {
    const key = `${body.platform}\n${body.currency}`;
    const group = byHead.get(key) ?? {
      head: { platform: body.platform, currency: body.currency, resent: true },
      events: [],
    };
    group.events.push(...body.events);
    byHead.set(key, group);
  }
  return [...byHead.values()].flatMap(({ head, events }) => packEvents(head, events, perMessage));
}
