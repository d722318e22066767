// Faults, with the real local Queues, Durable Objects, D1 and R2: D1 failing during a flush, a
// setAlarm failing after a batch committed, a flood of one order through the queue. Each case ends
// with exact totals after the retries: nothing dropped, nothing counted twice.
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { SellerEvent } from "../../../src/events/schema.ts";
import worker from "../../../src/index.ts";
import { FLUSH_DELAY_MS, FLUSH_RETRY_MAX_MS, flushRetryDelay } from "../../../src/ledger/flush-delay.ts";
import { foldEvents } from "../../../src/ledger/fold.ts";
import { COUNTER_FIELDS, type Counters, emptyCounters, sumCounters } from "../../../src/metrics/counters.ts";
import { parse, placed, step, visits } from "../../support/builders.ts";
import { api, createPlatform, unreachableD1 } from "../helpers.ts";

let key: string;
beforeAll(async () => {
  key = await createPlatform("faulty");
});

type Ledger = DurableObjectStub<import("../../../src/ledger/seller-ledger.ts").SellerLedger>;
const ledgerOf = (seller: string): Ledger => env.LEDGER.getByName(`faulty:${seller}`);

/** Delivers one message of events to the events consumer, as the queue would; returns what it acked and retried. */
async function deliver(id: string, events: SellerEvent[], attempts = 1) {
  const batch = createMessageBatch("sellerpulse-events", [
    { id, timestamp: new Date(), attempts, body: { platform: "faulty", currency: "USD", events } },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

/** The seller's lifetime counters as D1 holds them (what the hourly jobs and the operator read). */
async function inD1(seller: string): Promise<Counters> {
  const { results } = await env.DB.prepare("SELECT * FROM seller_hourly WHERE platform_id = 'faulty' AND seller_id = ?")
    .bind(seller)
    .all<Counters>();
  return sumCounters(results.map((row) => ({ ...emptyCounters(), ...pick(row) })));
}
const pick = (row: Counters) => Object.fromEntries(COUNTER_FIELDS.map((f) => [f, row[f]]));
const expected = (events: SellerEvent[]) => sumCounters(foldEvents(events).hourly.values());

/** Lets the object's D1 fail (or work again): its env is replaced in the running instance. */
const setD1 = (ledger: Ledger, database: D1Database) =>
  runInDurableObject(ledger, (instance) => {
    (instance as unknown as { env: Env }).env = { ...env, DB: database };
  });

const alarmOf = (ledger: Ledger) => runInDurableObject(ledger, (_, state) => state.storage.getAlarm());
const failuresOf = (ledger: Ledger) =>
  runInDurableObject(ledger, (_, state) =>
    Number(
      state.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'flush_failures'").one().value,
    ),
  );

const lifecycle = (seller: string, order: string, at: number) =>
  [
    placed(seller, order, at),
    step("order.shipped", seller, order, at + 5),
    step("order.delivered", seller, order, at + 60),
    visits(seller, at, 9, `${order}-v`),
  ].map(parse);

describe("D1 failing during a flush", () => {
  it("retries later and later with jitter, then writes exact totals once D1 is back", async () => {
    const seller = "d1-down";
    const ledger = ledgerOf(seller);
    const first = lifecycle(seller, "o-1", 0);
    expect((await deliver("m-1", first)).explicitAcks).toEqual(["m-1"]);
    await setD1(ledger, unreachableD1);

    // Each failed flush waits longer: FLUSH_DELAY_MS doubled per failure, less a random half.
    for (const failures of [1, 2, 3]) {
      const before = Date.now();
      expect(await runDurableObjectAlarm(ledger)).toBe(true);
      expect(await failuresOf(ledger)).toBe(failures);
      const wait = (await alarmOf(ledger))! - before;
      const ceiling = FLUSH_DELAY_MS * 2 ** (failures - 1);
      expect(wait).toBeGreaterThanOrEqual(ceiling / 2 - 1_000);
      expect(wait).toBeLessThanOrEqual(ceiling + 1_000);
    }
    expect(flushRetryDelay(30, 1)).toBe(FLUSH_RETRY_MAX_MS);
    expect(await inD1(seller)).toEqual(emptyCounters());

    // More events arrive while D1 is down; a message is redelivered too.
    const second = lifecycle(seller, "o-2", 30);
    expect((await deliver("m-2", second)).explicitAcks).toEqual(["m-2"]);
    expect((await deliver("m-1", first, 2)).explicitAcks).toEqual(["m-1"]);

    await setD1(ledger, env.DB);
    expect(await runDurableObjectAlarm(ledger)).toBe(true);
    expect(await inD1(seller)).toEqual(expected([...first, ...second]));
    expect(await failuresOf(ledger)).toBe(0);
    // Nothing is pending: no alarm is left for a flush, and a flush again changes nothing.
    expect(await alarmOf(ledger)).toBeNull();
    await ledger.flush(true);
    expect(await inD1(seller)).toEqual(expected([...first, ...second]));
  });
});

describe("D1 down before a ledger ever read its thresholds", () => {
  it("still applies the seller's events; D1 gets exact totals once it is back", async () => {
    const seller = "d1-down-first";
    const ledger = ledgerOf(seller);
    await setD1(ledger, unreachableD1); // the object is made with D1 already down
    const events = [...lifecycle(seller, "o-1", 0), ...lifecycle(seller, "o-2", 20)];
    expect((await deliver("m-1", events.slice(0, 4))).explicitAcks).toEqual(["m-1"]);
    expect((await deliver("m-2", events.slice(4))).explicitAcks).toEqual(["m-2"]);
    expect((await ledger.summary(seller, "USD")).periods.all).toMatchObject({ orders: 2, visits: 18 });
    expect(await runDurableObjectAlarm(ledger)).toBe(true); // the flush fails, and is retried later
    expect(await failuresOf(ledger)).toBe(1);
    expect(await inD1(seller)).toEqual(emptyCounters());

    await setD1(ledger, env.DB);
    expect(await runDurableObjectAlarm(ledger)).toBe(true);
    expect(await inD1(seller)).toEqual(expected(events));
  });
});

describe("setAlarm failing after a batch committed", () => {
  it("the retried message finds nothing new yet schedules the flush it left pending", async () => {
    const seller = "no-alarm";
    const ledger = ledgerOf(seller);
    const events = lifecycle(seller, "o-1", 0);
    await runInDurableObject(ledger, (_, state) => {
      state.storage.setAlarm = async () => {
        throw new Error("setAlarm failed");
      };
    });
    // The batch commits in the ledger, then its flush cannot be scheduled: the consumer retries.
    const first = await deliver("m", events);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["m"]);
    expect((await ledger.summary(seller, "USD")).periods.all.orders).toBe(1);

    await runInDurableObject(ledger, (_, state) => {
      delete (state.storage as { setAlarm?: unknown }).setAlarm; // the runtime's own again
    });
    const second = await deliver("m", events, 2);
    expect(second.explicitAcks).toEqual(["m"]);
    const alarm = await alarmOf(ledger);
    expect(alarm).not.toBeNull();
    expect(alarm! - Date.now()).toBeLessThanOrEqual(FLUSH_DELAY_MS * 2);
    expect(await runDurableObjectAlarm(ledger)).toBe(true);
    expect(await inD1(seller)).toEqual(expected(events));
    expect((await ledger.summary(seller, "USD")).periods.all.orders).toBe(1);
  });
});

describe("a flood of one order through the queue", () => {
  it("200 resends with fresh ids leave the seller's other events applied and its summary readable", async () => {
    const seller = "flood";
    const others = [...lifecycle(seller, "o-2", 0), ...lifecycle(seller, "o-3", 10)];
    const big = (i: number) =>
      parse({
        ...(placed(seller, "o-1", i) as Extract<Parameters<typeof parse>[0], { type: "order.placed" }>),
        event_id: `o-1:resend-${i}`,
        items: Array.from({ length: 100 }, (_, n) => ({
          product_id: `${n}-${"x".repeat(120)}`,
          category: "c".repeat(100),
          quantity: 1,
          unit_price: 100,
        })),
      });
    // Three resends a message, the seller's other events in the middle of the flood.
    const flood = Array.from({ length: 200 }, (_, i) => big(i));
    for (let i = 0; i < flood.length; i += 3) {
      const events = i === 99 ? [...flood.slice(i, i + 3), ...others] : flood.slice(i, i + 3);
      expect((await deliver(`f-${i}`, events)).explicitAcks).toEqual([`f-${i}`]);
    }
    const res = await api(`/v1/sellers/${seller}/summary`, { token: key });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { periods: { all: Record<string, number> } };
    const want = expected([...flood, ...others]);
    expect(summary.periods.all).toMatchObject({ orders: 3, gmv: want.gmv, visits: 18, shipped: 2 });
    expect(want.gmv).toBe(10_000 + 2 * 3000);
    expect(await runDurableObjectAlarm(ledgerOf(seller))).toBe(true);
    expect(await inD1(seller)).toEqual(want);
  });
});
