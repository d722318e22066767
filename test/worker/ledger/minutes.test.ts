// timeseries?granularity=minute: gmv, orders and visits by UTC minute over the last 48 hours,
// kept only that long (never written older, deleted by the alarm), at most 360 minutes a request.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { MINUTE_MS } from "../../../src/ledger/minutes.ts";
import type { SellerLedger } from "../../../src/ledger/seller-ledger.ts";
import { eventsAt, parse } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

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
      const rows = state.storage.sql.exec<{ minute: number }>("SELECT minute FROM minutes ORDER BY minute").toArray();
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

  it("keeps minutes only 48 hours: the alarm deletes those the window has left", async () => {
    const seller = "min-prune";
    const stub = env.LEDGER.getByName(`minco:${seller}`);
    await stub.apply("minco", seller, "USD", [parse(b.placed(seller, "o-1", 0))]);
    await runInDurableObject(stub, async (ledger: SellerLedger, state) => {
      const count = () => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM minutes").one().n;
      expect(count()).toBe(1);
      // As if 48 hours had passed since: the row is left behind by the window.
      state.storage.sql.exec("UPDATE minutes SET minute = minute - 48 * 60");
      await ledger.alarm();
      expect(count()).toBe(0);
    });
  });
});
