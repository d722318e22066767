// The queue consumer: acks what the ledgers stored, retries what they did not, and records
// dead letters. Every delivery may be the second.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../src/index.ts";
import { consumeEvents, retryDelaySeconds } from "../../../src/pipeline/consumer.ts";
import { parse, placed, visits } from "../../support/builders.ts";
import { eventually } from "../helpers.ts";

const message = (id: string, body: unknown, attempts = 1) => ({ id, timestamp: new Date(), attempts, body });

async function deliver(queue: string, messages: ReturnType<typeof message>[]) {
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env); // the consumer awaits its work; ctx collects any waitUntil
  return getQueueResult(batch, ctx);
}

describe("the events consumer", () => {
  it("acks stored messages and retries malformed ones towards the dead-letter queue", async () => {
    const good = {
      platform: "acme",
      currency: "USD",
      events: [parse(visits("c-1", 0, 3)), parse(placed("c-2", "o-1", 0))],
    };
    const result = await deliver("sellerpulse-events", [
      message("good", good),
      message("bad", { platform: "acme", events: "nope" }),
    ]);
    expect(result.explicitAcks).toEqual(["good"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["bad"]);
    expect((await env.LEDGER.getByName("acme:c-1").summary("c-1", "USD")).periods.all.visits).toBe(3);
    expect((await env.LEDGER.getByName("acme:c-2").summary("c-2", "USD")).periods.all.orders).toBe(1);
  });

  it("a redelivered message changes nothing", async () => {
    const body = { platform: "acme", currency: "USD", events: [parse(visits("c-3", 0, 5))] };
    await deliver("sellerpulse-events", [message("m", body)]);
    const again = await deliver("sellerpulse-events", [message("m", body, 2)]);
    expect(again.explicitAcks).toEqual(["m"]);
    expect((await env.LEDGER.getByName("acme:c-3").summary("c-3", "USD")).periods.all.visits).toBe(5);
  });

  it("backs off exponentially, up to five minutes", () => {
    expect([1, 2, 3, 8, 20].map(retryDelaySeconds)).toEqual([2, 4, 8, 256, 300]);
  });
});

describe("the dead-letter consumer", () => {
  it("records each dead letter in D1 for the operator", async () => {
    const result = await deliver("sellerpulse-events-dlq", [message("dead", { platform: "acme", events: "nope" })]);
    expect(result.ackAll).toBe(true);
    const rows = await env.DB.prepare("SELECT queue, body FROM dead_letters").all();
    expect(rows.results).toEqual([
      { queue: "sellerpulse-events-dlq", body: JSON.stringify({ platform: "acme", events: "nope" }) },
    ]);
  });
});

describe("a batch naming more sellers than one invocation may call", () => {
  it("applies the first messages and puts the rest back on the queue, acking all", async () => {
    const three = (from: number) => ({
      platform: "acme",
      currency: "USD",
      events: [0, 1, 2].map((i) => parse(visits(`wide-${from + i}`, 0, 1))),
    });
    // At most four sellers per invocation here (MAX_SELLERS_PER_INVOCATION in production).
    const batch = createMessageBatch("sellerpulse-events", [message("first", three(0)), message("second", three(3))]);
    const ctx = createExecutionContext();
    expect(await consumeEvents(batch, env, { maxSellers: 4 })).toEqual({ events: 3, ledgers: 3, deferred: 1 });
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["first", "second"]);
    expect(result.retryMessages).toEqual([]);
    expect((await env.LEDGER.getByName("acme:wide-0").summary("wide-0", "USD")).periods.all.visits).toBe(1);
    // The second message went back on the real queue; its consumer run applies it.
    await eventually(async () =>
      expect((await env.LEDGER.getByName("acme:wide-5").summary("wide-5", "USD")).periods.all.visits).toBe(1),
    );
  });
});
