// The whole path: ingest → queue → consumer → SellerLedger, and the flush to D1.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { SellerEvent } from "../../../src/events/schema.ts";
import { trackDirty } from "../../../src/ledger/dirty-keys.ts";
import { FLUSH_DELAY_MS, FLUSH_JITTER_MS } from "../../../src/ledger/flush-delay.ts";
import { eventsAt } from "../../support/builders.ts";
import { foldedSummary } from "../../support/reference-summary.ts";
import { arrivals } from "../arbitraries.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

let key: string;
beforeAll(async () => {
  key = await createPlatform("acme");
});

const post = (events: unknown[]) => api("/v1/events", { method: "POST", token: key, json: events });

describe("through the queue and the ledger", () => {
  it("any arrival order with duplicates, in any batches, gives the in-order summary", async () => {
    const samples = fc.sample(arrivals, { numRuns: 6, seed: 42 });
    for (const [n, { inOrder, shuffled }] of samples.entries()) {
      const seller = `perm-${n}`;
      const mine = (events: SellerEvent[]) => events.map((e) => ({ ...e, seller_id: seller }));
      // Post the shuffled stream in three requests of different sizes.
      const stream = mine(shuffled);
      const cuts = [0, Math.floor(stream.length / 3), Math.floor(stream.length / 2), stream.length];
      for (let i = 0; i < 3; i++) {
        const chunk = stream.slice(cuts[i], cuts[i + 1]);
        if (chunk.length === 0) continue;
        const res = await post(chunk);
        expect(res.status).toBe(202);
        expect(await res.json()).toEqual({ accepted: chunk.length, rejected: [] });
      }
      const ledger = env.LEDGER.getByName(`acme:${seller}`);
      const nowMs = Date.now();
      const expected = foldedSummary(seller, mine(inOrder), nowMs);
      await eventually(async () => {
        const actual = await ledger.summary(seller, "USD", nowMs);
        expect({ ...actual, updated_at: null }).toEqual(expected);
      });
    }
  });
});

describe("the flush to D1", () => {
  const seller = "flushed";
  const { placed, step, visits } = eventsAt(Date.parse("2026-11-20T10:00:00Z"));
  const orderEvents = [
    placed(seller, "o-1", 15, {
      items: [
        { product_id: "p-1", category: "shoes", quantity: 2, unit_price: 1500 },
        { product_id: "p-2", category: "hats", quantity: 1, unit_price: 700 },
      ],
      channel: "ads",
    }),
    step("order.delivered", seller, "o-1", 120),
    visits(seller, 180, 12, "f-3", "ads"),
  ];

  it("writes the ledger's hourly rows to D1 as they are, and a repeated flush changes nothing", async () => {
    const posted = Date.now();
    expect((await post(orderEvents)).status).toBe(202);
    const ledger = env.LEDGER.getByName(`acme:${seller}`);
    await eventually(async () => expect((await ledger.summary(seller, "USD")).periods.all.visits).toBe(12));

    // The flush is due half a minute to a minute later (spread, so that sellers do not flush together).
    const alarm = await runInDurableObject(ledger, (_, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThanOrEqual(posted + FLUSH_DELAY_MS);
    expect(alarm).toBeLessThan(Date.now() + FLUSH_DELAY_MS + FLUSH_JITTER_MS);
    expect(await runDurableObjectAlarm(ledger)).toBe(true);
    const inLedger = await runInDurableObject(ledger, (_, state) =>
      state.storage.sql
        .exec("SELECT * FROM hourly ORDER BY hour")
        .toArray()
        .map(({ dirty, ...row }) => row),
    );
    const inD1 = async () =>
      (
        await env.DB.prepare("SELECT * FROM seller_hourly WHERE platform_id = 'acme' AND seller_id = ? ORDER BY hour")
          .bind(seller)
          .all()
      ).results.map(({ platform_id, seller_id, ...row }) => row);
    expect(inLedger).toHaveLength(3); // placement, delivery and visits hours
    expect(await inD1()).toEqual(inLedger);

    const products = await env.DB.prepare(
      "SELECT product_id, category, units, revenue FROM product_hourly WHERE seller_id = ? ORDER BY product_id",
    )
      .bind(seller)
      .all();
    expect(products.results).toEqual([
      { product_id: "p-1", category: "shoes", units: 2, revenue: 3000 },
      { product_id: "p-2", category: "hats", units: 1, revenue: 700 },
    ]);

    // Nothing changed since: the flush writes nothing. Flushed again whole (an instance woken with
    // every row pending, its keys lost): D1 holds the same values.
    expect(await ledger.flush()).toBe(0);
    const rowsInLedger = await runInDurableObject(ledger, (object, state) => {
      state.storage.sql.exec("UPDATE meta SET value = '0' WHERE key = 'flushed'");
      trackDirty((object as unknown as { sql: SqlStorage }).sql, false);
      return ["hourly", "products", "shipping", "alerts"]
        .map((table) => state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n)
        .reduce((a, b) => a + b, 0);
    });
    expect(rowsInLedger).toBeGreaterThanOrEqual(5); // 3 hours, 2 products, and the shipments'
    expect(await ledger.flush()).toBe(rowsInLedger);
    expect(await inD1()).toEqual(inLedger);
  });

  it("coalesces: many events in one hour make one row", async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      event_id: `v-${i}`,
      type: "storefront.visits",
      occurred_at: "2026-11-20T15:30:00Z",
      seller_id: "busy",
      channel: "search",
      visits: 1,
    }));
    expect((await post(many)).status).toBe(202);
    const ledger = env.LEDGER.getByName("acme:busy");
    await eventually(async () => expect((await ledger.summary("busy", "USD")).periods.all.visits).toBe(200));
    await runDurableObjectAlarm(ledger);
    const rows = await env.DB.prepare("SELECT visits FROM seller_hourly WHERE seller_id = 'busy'").all();
    expect(rows.results).toEqual([{ visits: 200 }]);
  });
});

describe("events that make no sense", () => {
  it("are ignored and listed for the operator, and the list follows late arrivals", async () => {
    const seller = "odd";
    const { placed, step, rejected } = eventsAt(Date.parse("2026-11-20T10:00:00Z"));
    const ledger = env.LEDGER.getByName(`acme:${seller}`);
    await post([
      placed(seller, "o-1", 0),
      rejected(seller, "o-1", 20),
      step("order.accepted", seller, "o-1", 30, "a2"),
    ]);
    await eventually(async () =>
      expect(await ledger.ignoredEvents()).toEqual([
        { event_id: "o-1:a2", order_id: "o-1", type: "order.accepted", reason: "after the order was rejected" },
      ]),
    );
    expect((await ledger.summary(seller, "USD")).periods.all).toMatchObject({ rejected: 1, accepted: 0 });

    // An acceptance dated before the rejection arrives late: now the rejection is the odd one.
    await post([step("order.accepted", seller, "o-1", 10, "a1")]);
    await eventually(async () =>
      expect(await ledger.ignoredEvents()).toEqual([
        { event_id: "o-1:a2", order_id: "o-1", type: "order.accepted", reason: "accepted when accepted" },
        { event_id: "o-1:rejected", order_id: "o-1", type: "order.rejected", reason: "rejected when accepted" },
      ]),
    );
    expect((await ledger.summary(seller, "USD")).periods.all).toMatchObject({ rejected: 0, accepted: 1 });
  });
});
