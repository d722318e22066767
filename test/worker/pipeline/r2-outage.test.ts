// An R2 outage of an hour, in simulated time, while events keep arriving: the events consumer runs
// against the real ledgers and D1, with R2's writes failing for the first hour and a simulated events
// queue (delays, attempts, max_retries 10 and the dead-letter queue past it, as wrangler.toml sets).
// Every event is counted once, nothing is dead-lettered, and the archive holds every event once.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { archivePrefix } from "../../../src/archive/archive-keys.ts";
import type { SellerEvent } from "../../../src/events/schema.ts";
import { consumeEvents } from "../../../src/pipeline/consumer.ts";
import { enqueueEvents } from "../../../src/pipeline/producer.ts";
import { parse, placed, visits } from "../../support/builders.ts";
import { createPlatform } from "../helpers.ts";

/** The events queue's max_retries (wrangler.toml): one more failed delivery dead-letters a message. */
const MAX_RETRIES = 10;

interface Queued {
  id: string;
  body: unknown;
  attempts: number;
  /** When it may be delivered (simulated seconds). */
  due: number;
}

/** The events queue in simulated time: what is sent, with its delay, and delivered when due. */
class SimulatedQueue {
  readonly queued: Queued[] = [];
  private sent = 0;
  now = 0;

  private add(body: unknown, delaySeconds = 0) {
    this.queued.push({ id: `sim-${++this.sent}`, body, attempts: 1, due: this.now + delaySeconds });
  }
  async send(body: unknown, options?: QueueSendOptions) {
    this.add(body, options?.delaySeconds);
  }
  async sendBatch(messages: Iterable<MessageSendRequest>) {
    for (const m of messages) this.add(m.body, m.delaySeconds);
  }
  /** The messages due now, taken off the queue (at most a batch of 100). */
  due(): Queued[] {
    const due = this.queued.filter((m) => m.due <= this.now).slice(0, 100);
    for (const m of due) this.queued.splice(this.queued.indexOf(m), 1);
    return due;
  }
}

const SELLERS = ["r2-a", "r2-b", "r2-c"];

/** The events of minute `m`: each seller's visits and one order. */
const eventsOf = (m: number): SellerEvent[] =>
  SELLERS.flatMap((seller) => [visits(seller, m, 1 + (m % 3), `m${m}`), placed(seller, `${seller}-o${m}`, m)]).map(
    parse,
  );

async function archivedIds(platform: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.BUCKET.list({ prefix: archivePrefix(platform), ...(cursor ? { cursor } : {}) });
    for (const { key } of page.objects) {
      const object = (await env.BUCKET.get(key))!;
      const text = await new Response(object.body.pipeThrough(new DecompressionStream("gzip"))).text();
      for (const line of text.split("\n").filter(Boolean)) ids.push((JSON.parse(line) as SellerEvent).event_id);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return ids;
}

describe("an hour of R2 outage", () => {
  it("counts every event once and dead-letters nothing, and the archive catches up once R2 is back", async () => {
    const platform = "r2-out";
    await createPlatform(platform);
    const queue = new SimulatedQueue();
    const events = queue as unknown as Queue;
    const down = { ...env.BUCKET, put: async () => Promise.reject(new Error("R2: service unavailable")) };
    const deadLettered: Queued[] = [];
    const sent: SellerEvent[] = [];
    const OUTAGE = 3_600;
    vi.spyOn(console, "error").mockImplementation(() => {}); // one line per batch R2 refuses
    const ARRIVING = OUTAGE + 600; // events keep coming for ten minutes after R2 is back
    for (queue.now = 0; queue.now <= ARRIVING || queue.queued.length > 0; queue.now += 10) {
      expect(queue.now).toBeLessThan(3 * OUTAGE); // it ends
      if (queue.now <= ARRIVING && queue.now % 60 === 0) {
        const arriving = eventsOf(queue.now / 60);
        sent.push(...arriving);
        await enqueueEvents(events, { id: platform, currency: "USD" }, arriving);
      }
      const due = queue.due();
      if (due.length === 0) continue;
      const bucket = queue.now < OUTAGE ? down : env.BUCKET;
      const batch = createMessageBatch(
        "sellerpulse-events",
        due.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts, body: m.body })),
      );
      const ctx = createExecutionContext();
      await consumeEvents(batch, { ...env, BUCKET: bucket, EVENTS: events } as unknown as Env);
      const result = await getQueueResult(batch, ctx);
      for (const m of due) {
        const retried = result.retryMessages.find((r) => r.msgId === m.id);
        if (!retried) continue; // acked
        if (m.attempts > MAX_RETRIES) deadLettered.push(m);
        else queue.queued.push({ ...m, attempts: m.attempts + 1, due: queue.now + (retried.delaySeconds ?? 0) });
      }
      if (queue.now === OUTAGE - 60) {
        // R2 still down: the figures are live all the same.
        const summary = await env.LEDGER.getByName(`${platform}:r2-a`).summary("r2-a", "USD");
        expect(summary.periods.all.orders).toBe(OUTAGE / 60);
      }
    }
    vi.restoreAllMocks();

    expect(deadLettered).toEqual([]);
    for (const seller of SELLERS) {
      const own = sent.filter((e) => e.seller_id === seller);
      const summary = await env.LEDGER.getByName(`${platform}:${seller}`).summary(seller, "USD");
      expect(summary.periods.all.orders).toBe(own.filter((e) => e.type === "order.placed").length);
      expect(summary.periods.all.visits).toBe(
        own.reduce((sum, e) => sum + (e.type === "storefront.visits" ? e.visits : 0), 0),
      );
    }
    // Every event archived, once.
    const archived = await archivedIds(platform);
    expect(archived.sort()).toEqual(sent.map((e) => e.event_id).sort());
  }, 120_000);
});
