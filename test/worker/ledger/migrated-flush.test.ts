// A ledger made before a table was added is migrated when it wakes: the rows the migration fills
// are the ones a new ledger has, and its next flush takes them to D1.

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORDER_LISTS, type OrderList } from "../../../src/ledger/orders-list.ts";
import { SellerLedger } from "../../../src/ledger/seller-ledger.ts";
import { HOUR_MS } from "../../../src/metrics/counters.ts";
import { cancelled, eventsAt, parse, placed, step, T0 } from "../../support/builders.ts";
import { downgrade } from "./older-ledgers.ts";

const hourOf = (ms: number) => Math.floor(ms / HOUR_MS);

describe("a ledger made before the shipping histogram", () => {
  it("creates it on waking, fills it from its orders and flushes it", async () => {
    const seller = "before-shipping";
    const stub = env.LEDGER.getByName(`acme:${seller}`);
    const events = [
      placed(seller, "o-1", 0),
      step("order.shipped", seller, "o-1", 125), // 2 whole hours after placement
      placed(seller, "o-2", 10),
      step("order.shipped", seller, "o-2", 15), // within the hour
      placed(seller, "o-3", 20), // not shipped
    ].map(parse);
    await stub.apply("acme", seller, "USD", events);
    const range = [hourOf(T0) - 1, hourOf(T0) + 24] as const;
    const fresh = await stub.benchmarkValues(...range);
    expect(fresh.ship_hours).toBe(0); // the lower median of [0, 2]

    await runInDurableObject(stub, async (_, state) => {
      // As the ledger was before the table existed (version 1): no shipping table, nothing flushed of it.
      downgrade(state.storage.sql, 1);
      const upgraded = new SellerLedger(state, env);
      await state.blockConcurrencyWhile(async () => {}); // the constructor's migration has run
      const rows = state.storage.sql
        .exec("SELECT hour, ship_hours, orders, dirty FROM shipping ORDER BY ship_hours")
        .toArray();
      expect(rows.map(({ dirty, ...r }) => r)).toEqual([
        { hour: hourOf(T0), ship_hours: 0, orders: 1 },
        { hour: hourOf(T0), ship_hours: 2, orders: 1 },
      ]);
      expect(rows.every((r) => Number(r.dirty) > 0)).toBe(true); // the next flush takes them to D1
      expect(await upgraded.benchmarkValues(...range)).toEqual(fresh);
      expect(await upgraded.flush()).toBeGreaterThan(0);
    });
    const inD1 = await env.DB.prepare(
      "SELECT ship_hours, orders FROM ship_hourly WHERE seller_id = ? ORDER BY ship_hours",
    )
      .bind(seller)
      .all();
    expect(inD1.results).toEqual([
      { ship_hours: 0, orders: 1 },
      { ship_hours: 2, orders: 1 },
    ]);
    const region = await env.DB.prepare("SELECT region FROM sellers WHERE seller_id = ?").bind(seller).first();
    expect(region).toEqual({ region: "eu" });
  });
});

describe("a ledger made before products counted their orders", () => {
  it("adds the column on waking, counts each product's orders from its orders and flushes them", async () => {
    const seller = "before-product-orders";
    const stub = env.LEDGER.getByName(`acme:${seller}`);
    const twoProducts = [
      { product_id: "p-1", category: "shoes", quantity: 2, unit_price: 1500 },
      { product_id: "p-2", category: "bags", quantity: 1, unit_price: 4000 },
    ];
    const events = [
      placed(seller, "o-1", 0, { items: twoProducts }),
      placed(seller, "o-2", 5),
      placed(seller, "o-3", 10),
      cancelled(seller, "o-3", 20, "buyer"), // counts for no product
    ].map(parse);
    await stub.apply("acme", seller, "USD", events);
    await runInDurableObject(stub, async (_, state) => {
      downgrade(state.storage.sql, 3); // the version before products counted their orders
      const upgraded = new SellerLedger(state, env);
      await state.blockConcurrencyWhile(async () => {});
      const rows = state.storage.sql.exec("SELECT product_id, orders FROM products ORDER BY product_id").toArray();
      expect(rows).toEqual([
        { product_id: "p-1", orders: 2 },
        { product_id: "p-2", orders: 1 },
      ]);
      expect(await upgraded.flush()).toBeGreaterThan(0);
    });
    const inD1 = await env.DB.prepare(
      "SELECT product_id, orders, units FROM product_hourly WHERE seller_id = ? ORDER BY product_id",
    )
      .bind(seller)
      .all();
    expect(inD1.results).toEqual([
      { product_id: "p-1", orders: 2, units: 4 },
      { product_id: "p-2", orders: 1, units: 1 },
    ]);
  });
});

describe("a ledger made before the orders list, regions, channel visits and minutes", () => {
  it("adds them on waking, filled from its orders: it lists and breaks down as a new one would", async () => {
    const seller = "before-lists";
    const stub = env.LEDGER.getByName(`acme:${seller}`);
    const recent = eventsAt(Date.now() - 20 * 60_000);
    const events = [
      placed(seller, "o-1", 0, { region: "uk", ship_within_hours: 1 }),
      step("order.shipped", seller, "o-1", 90), // late
      placed(seller, "o-2", 10, { region: "eu" }),
      cancelled(seller, "o-2", 20, "buyer"),
      recent.placed(seller, "o-3", 0, { region: "uk" }),
      recent.visits(seller, 1, 30),
    ].map(parse);
    await stub.apply("acme", seller, "USD", events);
    const lists = (read: (list: OrderList) => Promise<unknown>) => Promise.all(ORDER_LISTS.map(read));
    const before = await lists((list) => stub.orders(list, 100, null));
    const regions = await stub.breakdown("region", -8.64e15, 8.64e15);
    const minute = Math.floor(Date.parse(recent.at(0)) / 60_000) * 60_000;
    const gmvMinute = await stub.minuteSeries("gmv", minute, minute + 60_000);
    expect(regions.map((r) => r.key).sort()).toEqual(["eu", "uk"]);
    expect(gmvMinute[0]!.value).toBe(3000);

    await runInDurableObject(stub, async (_, state) => {
      // As the ledger was before: none of the columns, indexes, region rows, visits or minutes.
      downgrade(state.storage.sql, 5);
      const upgraded = new SellerLedger(state, env);
      await state.blockConcurrencyWhile(async () => {});
      expect(await lists((list) => upgraded.orders(list, 100, null))).toEqual(before);
      expect(await upgraded.breakdown("region", -8.64e15, 8.64e15)).toEqual(regions);
      expect(await upgraded.minuteSeries("gmv", minute, minute + 60_000)).toEqual(gmvMinute);
      // Visits were never stored by event: they count from the upgrade on.
      const channels = await upgraded.breakdown("channel", -8.64e15, 8.64e15);
      expect(channels.every((c) => c.visits === 0)).toBe(true);
    });
  });
});
