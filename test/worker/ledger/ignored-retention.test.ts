// The retention of a ledger's ignored events (IGNORED_EVENTS_RETENTION_DAYS, 90 in wrangler.toml):
// each is listed with when, and the ledger's alarm forgets those listed longer ago than that; an
// event still does not count after its listing is gone. A ledger made before the column counts
// its listings from its upgrade.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SellerLedger } from "../../../src/ledger/seller-ledger.ts";
import { parse, placed, rejected, step } from "../../support/builders.ts";
import { downgrade } from "./older-ledgers.ts";

const DAY_SECONDS = 86_400;
type Ledger = DurableObjectStub<SellerLedger>;

/** Two orders with an ignored event each: an acceptance after a rejection, a shipment before the placement. */
async function ledgerWithIgnored(seller: string): Promise<Ledger> {
  const ledger = env.LEDGER.getByName(`kept:${seller}`);
  const events = [
    placed(seller, "o-old", 0),
    rejected(seller, "o-old", 5),
    step("order.accepted", seller, "o-old", 10),
    placed(seller, "o-new", 20),
    step("order.shipped", seller, "o-new", 15),
  ].map(parse);
  await ledger.apply("kept", seller, "USD", events);
  return ledger;
}

const listedAt = (ledger: Ledger) =>
  runInDurableObject(ledger, (_, state) =>
    state.storage.sql
      .exec<{ order_id: string; listed_at: number }>("SELECT order_id, listed_at FROM ignored")
      .toArray(),
  );

/** Makes an order's listings `days` older, as if listed that long ago. */
const age = (ledger: Ledger, orderId: string, days: number) =>
  runInDurableObject(ledger, (_, state) => {
    state.storage.sql.exec(
      "UPDATE ignored SET listed_at = listed_at - ?1 WHERE order_id = ?2",
      days * DAY_SECONDS,
      orderId,
    );
  });

/** Rings the ledger's alarm now (one is set: a change always schedules a flush). */
async function ring(ledger: Ledger): Promise<void> {
  await runInDurableObject(ledger, (_, state) => state.storage.setAlarm(Date.now()));
  expect(await runDurableObjectAlarm(ledger)).toBe(true);
}

describe("a ledger's ignored events", () => {
  it("are listed with the time they were listed", async () => {
    const ledger = await ledgerWithIgnored("listed");
    const now = Math.floor(Date.now() / 1000);
    const rows = await listedAt(ledger);
    expect(rows.map((r) => r.order_id).sort()).toEqual(["o-new", "o-old"]);
    for (const row of rows) expect(Math.abs(row.listed_at - now)).toBeLessThan(120);
  });

  it("are forgotten by the alarm once listed longer ago than the retention, and still never count", async () => {
    const ledger = await ledgerWithIgnored("forgotten");
    const summary = await ledger.summary("forgotten", "USD");
    await age(ledger, "o-old", 91);
    await age(ledger, "o-new", 89);
    await ring(ledger);
    expect((await ledger.ignoredEvents()).map((e) => e.order_id)).toEqual(["o-new"]);
    // The forgotten event stays in its order and among the dedupe keys: sent again, it changes nothing.
    await ledger.apply("kept", "forgotten", "USD", [parse(step("order.accepted", "forgotten", "o-old", 10))]);
    expect({ ...(await ledger.summary("forgotten", "USD")), updated_at: null }).toEqual({
      ...summary,
      updated_at: null,
    });
    await age(ledger, "o-new", 2);
    await ring(ledger);
    expect(await ledger.ignoredEvents()).toEqual([]);
  });
});

describe("a ledger made before ignored events had a time", () => {
  it("gets the column on waking, and counts its listings from then", async () => {
    const ledger = await ledgerWithIgnored("before-listed-at");
    const before = await ledger.ignoredEvents();
    await runInDurableObject(ledger, async (_, state) => {
      downgrade(state.storage.sql, 4); // the version before ignored events had listed_at
      const upgraded = new SellerLedger(state, env);
      await state.blockConcurrencyWhile(async () => {}); // the constructor's migration has run
      const now = Math.floor(Date.now() / 1000);
      const rows = state.storage.sql.exec<{ listed_at: number }>("SELECT listed_at FROM ignored").toArray();
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(Math.abs(row.listed_at - now)).toBeLessThan(120);
      expect(await upgraded.ignoredEvents()).toEqual(before);
    });
    await ring(ledger);
    expect(await ledger.ignoredEvents()).toEqual(before);
  });
});
