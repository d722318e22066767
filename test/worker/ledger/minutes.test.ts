// timeseries?granularity=minute: gmv, orders and visits by UTC minute over the last 48 hours,
// kept only that long (never written older; a ring of slots overwritten in place), at most 360
// minutes a request; and a ledger of version 6 (a row a minute) keeps its minutes as it wakes.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { MINUTE_MS, RING_SLOTS, slotRuns } from "../../../src/ledger/minutes.ts";
import { SellerLedger } from "../../../src/ledger/seller-ledger.ts";
import { eventsAt, parse } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";
import { downgrade } from "./older-ledgers.ts";

let key: string;
const NOW = Date.now();
// The minute 30 minutes ago, to the millisecond of its start, and builders counting from it.
const ANCHOR = Math.floor(NOW / MINUTE_MS) * MINUTE_MS - 30 * MINUTE_MS;
const b = eventsAt(ANCHOR);
const iso = (ms: number) => new Date(ms).toISOString();

type Series = { metric: string; granularity: string; points: { t: string; value: number }[] };
async function minutes(seller: string, metric: string, from = ANCHOR - 5 * MINUTE_MS, to = ANCHOR + 10 * MINUTE_MS) {
  const res = await api(
    `/v1/sellers/${seller}/timeseries?metric=${metric}&granularity=minute&from=${iso(from)}&to=${iso(to)}`,
    { token: key },
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Series;
}
const valueAt = (series: Series, ms: number) => series.points.find((p) => p.t === iso(ms))?.value;

beforeAll(async () => {
  key = await createPlatform("minco");
});

describe("the ring's slots", () => {
  it("of any range of up to a turn of the ring are the slots of its minutes, and no other", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3e7 }), fc.integer({ min: 0, max: RING_SLOTS + 20 }), (first, length) => {
        const [a, b, c, d] = slotRuns(first, first + length);
        const read = new Set<number>();
        for (let slot = 0; slot < RING_SLOTS; slot++)
          if ((slot >= a && slot <= b) || (slot >= c && slot <= d)) read.add(slot);
        const wanted = new Set(Array.from({ length }, (_, i) => (first + i) % RING_SLOTS));
        expect(read).toEqual(wanted);
      }),
    );
  });
});

describe("minute series", () => {
  it("counts orders, GMV and visits in the minute they happened, every minute present", async () => {
    const seller = "min-1";
    const events = [
      b.placed(seller, "o-1", 0.25), // 2 × 15.00
      b.placed(seller, "o-2", 0.75, { items: [{ product_id: "p", category: "c", quantity: 1, unit_price: 999 }] }),
      b.placed(seller, "o-3", 3),
      b.cancelled(seller, "o-3", 4, "buyer"), // still an order, no longer GMV
      b.visits(seller, 3, 40),
      b.visits(seller, 3.5, 2, "again", "ads"),
      // 49 hours ago: counted by the hour, never kept by the minute.
      b.placed(seller, "o-old", -49 * 60 + 30),
    ];
    expect((await api("/v1/events", { method: "POST", token: key, json: events })).status).toBe(202);
    await eventually(async () => expect(valueAt(await minutes(seller, "orders"), ANCHOR)).toBe(2));
    const orders = await minutes(seller, "orders");
    expect(orders.granularity).toBe("minute");
    expect(orders.points).toHaveLength(15);
    expect(orders.points[0]!.t).toBe(iso(ANCHOR - 5 * MINUTE_MS));
    expect(valueAt(orders, ANCHOR + 3 * MINUTE_MS)).toBe(1);
    expect(orders.points.reduce((sum, p) => sum + p.value, 0)).toBe(3);
    const gmv = await minutes(seller, "gmv");
    expect(valueAt(gmv, ANCHOR)).toBe(3000 + 999);
    expect(valueAt(gmv, ANCHOR + 3 * MINUTE_MS)).toBe(0);
    expect(valueAt(await minutes(seller, "visits"), ANCHOR + 3 * MINUTE_MS)).toBe(42);

    // The hours count the old order; the minutes never stored it.
    const stub = env.LEDGER.getByName(`minco:${seller}`);
    await runInDurableObject(stub, async (_, state) => {
      const rows = state.storage.sql
        .exec<{ minute: number }>("SELECT minute FROM minute_ring ORDER BY minute")
        .toArray();
      expect(rows.every((r) => r.minute * MINUTE_MS >= NOW - 48 * 3_600_000 - MINUTE_MS)).toBe(true);
    });
  });

  it("defaults to the last 60 minutes", async () => {
    const res = await api("/v1/sellers/min-none/timeseries?metric=gmv&granularity=minute", { token: key });
    const series = (await res.json()) as Series;
    expect(series.points.length).toBeGreaterThanOrEqual(59);
    expect(series.points.length).toBeLessThanOrEqual(60);
    expect(series.points.every((p) => p.value === 0)).toBe(true);
  });

  it("refuses more than 360 minutes, minutes older than 48 hours and other metrics with 400", async () => {
    const now = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const cases = [
      `from=${iso(now - 361 * MINUTE_MS)}&to=${iso(now)}&metric=gmv`,
      `from=${iso(now - 49 * 3_600_000)}&to=${iso(now - 48.5 * 3_600_000)}&metric=gmv`,
      "metric=refunds",
    ];
    for (const query of cases) {
      const res = await api(`/v1/sellers/min-1/timeseries?granularity=minute&${query}`, { token: key });
      expect(res.status, query).toBe(400);
    }
    const six = await api(
      `/v1/sellers/min-1/timeseries?granularity=minute&metric=gmv&from=${iso(now - 360 * MINUTE_MS)}&to=${iso(now)}`,
      { token: key },
    );
    expect(six.status).toBe(200);
  });

  it("keeps minutes in a ring of 2,890 slots: a slot from a turn before reads as zero and starts afresh", async () => {
    const seller = "min-ring";
    const stub = env.LEDGER.getByName(`minco:${seller}`);
    await stub.apply("minco", seller, "USD", [parse(b.placed(seller, "o-1", 0))]);
    await runInDurableObject(stub, async (ledger: SellerLedger, state) => {
      const sql = state.storage.sql;
      const count = () => sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM minute_ring").one().n;
      expect(count()).toBe(1);
      // As if the slot had last been written a turn of the ring ago: read as nothing.
      sql.exec("UPDATE minute_ring SET minute = minute - ?", RING_SLOTS);
      const [from, to] = [ANCHOR - 5 * MINUTE_MS, ANCHOR + 5 * MINUTE_MS];
      expect((await ledger.minuteSeries("orders", from, to)).every((p) => p.value === 0)).toBe(true);
      await ledger.apply("minco", seller, "USD", [parse(b.placed(seller, "o-2", 0.5))]);
      expect(count()).toBe(1);
      expect(await ledger.minuteSeries("gmv", from, to)).toContainEqual({ t: iso(ANCHOR), value: 3000 });
    });
  });

  it("reads a range that wraps round the ring, and the minutes a version-6 ledger kept", async () => {
    const seller = "min-wrap";
    const stub = env.LEDGER.getByName(`minco:${seller}`);
    // Orders on both sides of the ring's last wrap (slot 0), which is inside the window but for
    // 20 minutes in 2,890 (then around ANCHOR: slotRuns' own property covers the wrap).
    const nowMinute = Math.floor(NOW / MINUTE_MS);
    const wrap = nowMinute - (nowMinute % RING_SLOTS);
    const centre = (nowMinute % RING_SLOTS <= 2870 ? wrap : ANCHOR / MINUTE_MS) * MINUTE_MS;
    const around = eventsAt(centre);
    const events = [around.placed(seller, "w-1", -2), around.placed(seller, "w-2", 1), b.visits(seller, 1, 7)];
    await stub.apply("minco", seller, "USD", events.map(parse));
    const from = centre - 5 * MINUTE_MS;
    const to = from + 10 * MINUTE_MS;
    const before = await stub.minuteSeries("orders", from, to);
    expect(before.reduce((sum, p) => sum + (p.value ?? 0), 0)).toBe(2);
    await runInDurableObject(stub, async (_, state) => {
      downgrade(state.storage.sql, 6);
      const migrated = new SellerLedger(state, env);
      await state.blockConcurrencyWhile(async () => {}); // the constructor's migration has run
      expect(await migrated.minuteSeries("orders", from, to)).toEqual(before);
      const visits = await migrated.minuteSeries("visits", ANCHOR, ANCHOR + 5 * MINUTE_MS);
      expect(visits.reduce((sum, p) => sum + (p.value ?? 0), 0)).toBe(7);
    });
  });
});
