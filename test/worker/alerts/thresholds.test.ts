// Threshold alerts (raised once when crossed, resolved when back, never below the minimum volume,
// per-platform thresholds) and the anomaly rule, on the simulator's data and in a ledger.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { history } from "../../../simulator/generate.ts";
import { anomaliesOf, type HourFigures } from "../../../src/alerts/anomaly.ts";
import { setThresholdsSql } from "../../../src/alerts/set-thresholds.ts";
import { DEFAULT_THRESHOLDS } from "../../../src/alerts/thresholds.ts";
import { eventSchema } from "../../../src/events/schema.ts";
import { checkAnomalies } from "../../../src/ledger/alert-checks.ts";
import { foldEvents } from "../../../src/ledger/fold.ts";
import { HOUR_MS } from "../../../src/metrics/counters.ts";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

let acme: string;
let strict: string;
beforeAll(async () => {
  acme = await createPlatform("acme");
  strict = await createPlatform("strict");
  // This platform pages on 5 shipped orders, not 20.
  await env.DB.prepare(
    setThresholdsSql("strict", { ...DEFAULT_THRESHOLDS, minShipped: 5 }, "2026-12-01T00:00:00Z"),
  ).run();
});

describe("set-thresholds (the admin command's SQL)", () => {
  it("refuses thresholds out of range and minimums that are not whole counts", () => {
    const set = (t: Partial<typeof DEFAULT_THRESHOLDS>) => () =>
      setThresholdsSql("p", { ...DEFAULT_THRESHOLDS, ...t }, "2026-12-01T00:00:00Z");
    expect(set({ slaComplianceMin: 1.5 })).toThrow(/between 0 and 1/);
    expect(set({ sellerCancellationRateMax: Number.NaN })).toThrow(/between 0 and 1/);
    expect(set({ avgRatingMin: 0 })).toThrow(/between 1 and 5/);
    expect(set({ minOrders: 2.5 })).toThrow(/whole number/);
    expect(set({ minRatings: 0 })).toThrow(/whole number/);
    expect(() => setThresholdsSql("Bad Id", DEFAULT_THRESHOLDS, "now")).toThrow(/platform id/);
  });
});

/**
 * Orders placed 150 minutes ago with a 1-hour SLA, shipped `minutes` (at most 120) after placement:
 * every event in the past at any hour (an anchor of "today" put shipments in the future just after
 * midnight UTC); the 7-day figures hold them.
 */
const { placed, step } = eventsAt(Date.now() - 150 * 60_000);
const shippedOrders = (seller: string, from: number, count: number, minutes: number) =>
  Array.from({ length: count }, (_, i) => [
    placed(seller, `o-${from + i}`, 0, { ship_within_hours: 1 }),
    step("order.shipped", seller, `o-${from + i}`, minutes),
  ]).flat();
const post = async (key: string, events: unknown[]) =>
  expect((await api("/v1/events", { method: "POST", token: key, json: events })).status).toBe(202);
const alerts = async (seller: string, key = acme) =>
  ((await (await api(`/v1/sellers/${seller}/alerts?status=all`, { token: key })).json()) as any).alerts as any[];

describe("threshold alerts", () => {
  it("raises SLA compliance once when it falls below 95% (20+ shipped), and resolves when it is back", async () => {
    const seller = "slow";
    await post(acme, [...shippedOrders(seller, 0, 18, 30), ...shippedOrders(seller, 18, 2, 120)]); // 18 of 20 on time: 90%
    const [raised] = await eventually(async () => {
      const found = (await alerts(seller)).filter((a) => a.type === "threshold.sla_compliance");
      expect(found).toHaveLength(1);
      return found;
    });
    expect(raised).toMatchObject({
      status: "open",
      details: { period: "7d", value: 0.9, threshold: 0.95, shipped: 20 },
    });
    await post(acme, shippedOrders(seller, 20, 1, 120)); // worse still: the same alert, not a second
    await eventually(async () => expect((await alerts(seller))[0].details).toBeDefined());
    expect((await alerts(seller)).filter((a) => a.type === "threshold.sla_compliance")).toHaveLength(1);
    await post(acme, shippedOrders(seller, 21, 60, 30)); // 78 of 81 on time: 96%
    await eventually(async () => {
      const found = (await alerts(seller)).filter((a) => a.type === "threshold.sla_compliance");
      expect(found.map((a) => a.status)).toEqual(["resolved"]);
    });
  });

  it("raises the seller cancellation rate and the 30-day rating past their thresholds", async () => {
    const seller = "unhappy";
    const cancels = Array.from({ length: 2 }, (_, i) => ({
      event_id: `c-${i}`,
      type: "order.cancelled",
      occurred_at: new Date(Date.parse(placed(seller, "x", 1).occurred_at)).toISOString(),
      seller_id: seller,
      order_id: `o-${i}`,
      reason: "no stock",
      by: "seller",
    }));
    const ratings = Array.from({ length: 20 }, (_, i) => ({
      event_id: `r-${i}`,
      type: "rating.submitted",
      occurred_at: placed(seller, "x", 5).occurred_at,
      seller_id: seller,
      order_id: `o-${i}`,
      rating: i < 12 ? 2 : 5, // average 3.2
    }));
    await post(acme, [...shippedOrders(seller, 0, 40, 30), ...cancels, ...ratings]);
    await eventually(async () => {
      const types = (await alerts(seller)).map((a) => a.type).sort();
      expect(types).toEqual(["threshold.avg_rating", "threshold.cancellation_rate"]);
    });
    const rating = (await alerts(seller)).find((a) => a.type === "threshold.avg_rating");
    expect(rating.details).toMatchObject({ period: "30d", threshold: 3.5, ratings: 20 });
    expect(rating.details.value).toBeCloseTo(3.2);
  });

  it("stays quiet below the minimum volume, and follows a platform's own thresholds", async () => {
    await post(acme, [...shippedOrders("small", 0, 5, 30), ...shippedOrders("small", 5, 5, 120)]); // 50%, 10 shipped
    await post(strict, [...shippedOrders("small", 0, 5, 30), ...shippedOrders("small", 5, 5, 120)]);
    await eventually(async () =>
      expect((await alerts("small", strict)).map((a) => a.type)).toEqual(["threshold.sla_compliance"]),
    );
    expect(await alerts("small")).toEqual([]);
  });
});

describe("the anomaly rule", () => {
  /** A busy store's hourly orders and GMV over eight weeks, from the simulator. */
  const endMs = Date.UTC(2026, 10, 30);
  const events = history({ seed: 7, sellers: 1, days: 56, ordersPerDay: 600, endMs }).map((e) => eventSchema.parse(e));
  const { hourly } = foldEvents(events);
  const figures = (hour: number): HourFigures => ({
    orders: hourly.get(hour)?.orders ?? 0,
    gmv: hourly.get(hour)?.gmv ?? 0,
  });
  const endHour = endMs / HOUR_MS;
  const lastMonth = Array.from({ length: 28 * 24 }, (_, i) => endHour - 28 * 24 + i);
  const pastOf = (hour: number) => [1, 2, 3, 4].map((k) => figures(hour - 168 * k));

  it("raises nothing over a normal month, and judges the busy hours", () => {
    const verdicts = lastMonth.map((hour) => anomaliesOf(figures(hour), pastOf(hour)));
    const judged = verdicts.filter((v) => v !== null);
    expect(judged.length).toBeGreaterThan(100); // the store is busy enough to be judged most of the day
    expect(judged.filter((v) => v.length > 0)).toEqual([]);
  });

  it("raises one for a spike and one for an outage", () => {
    const busiest = lastMonth.reduce((a, b) => (figures(b).orders > figures(a).orders ? b : a));
    const normal = figures(busiest);
    const spike = anomaliesOf({ orders: normal.orders * 3, gmv: normal.gmv * 3 }, pastOf(busiest));
    expect(spike?.map((v) => v.metric)).toContain("orders");
    const outage = anomaliesOf({ orders: 0, gmv: 0 }, pastOf(busiest));
    expect(outage?.map((v) => v.metric)).toContain("orders");
    expect(anomaliesOf(normal, pastOf(busiest))).toEqual([]);
  });

  it("judges nothing with fewer than four weeks, or for a quiet hour", () => {
    expect(
      anomaliesOf(
        { orders: 100, gmv: 1 },
        [1, 2, 3].map(() => ({ orders: 10, gmv: 1 })),
      ),
    ).toBeNull();
    expect(
      anomaliesOf(
        { orders: 100, gmv: 1 },
        [1, 2, 3, 4].map(() => ({ orders: 7, gmv: 1 })),
      ),
    ).toBeNull();
  });

  it("raises an anomaly from a ledger's own hours, and resolves it at the next normal hour", async () => {
    const seller = "spiky";
    const week = 7 * 24 * 60;
    // Ten orders each Monday at the same hour for four weeks, then forty.
    const monday = Date.UTC(2026, 10, 2, 14) + 10 * 60_000;
    const { placed: at } = eventsAt(monday);
    const orders = [0, 1, 2, 3, 4].flatMap((w) =>
      Array.from({ length: w === 4 ? 40 : 10 }, (_, i) => at(seller, `w${w}-${i}`, w * week + i)),
    );
    await post(acme, orders);
    const ledger = env.LEDGER.getByName(`acme:${seller}`);
    await eventually(async () => expect((await ledger.summary(seller, "USD")).periods.all.orders).toBe(80));
    const spikeHour = Math.floor((monday + 4 * week * 60_000) / HOUR_MS);
    await runInDurableObject(ledger, (_, state) => {
      const owner = { platform: "acme", sellerId: seller };
      const at = (hour: number) => (hour + 1) * HOUR_MS + 5 * 60_000;
      expect(checkAnomalies(state.storage.sql, owner, 99, at(spikeHour), new Date().toISOString())).toBe(true);
      // The hour after has nothing to judge: back to normal.
      expect(checkAnomalies(state.storage.sql, owner, 99, at(spikeHour + 1), new Date().toISOString())).toBe(true);
    });
    const found = (await alerts(seller)).filter((a) => a.type.startsWith("anomaly."));
    expect(found.map((a) => [a.type, a.status])).toEqual([["anomaly.orders", "resolved"]]);
    expect(found[0].details).toMatchObject({
      hour: new Date(spikeHour * HOUR_MS).toISOString(),
      value: 40,
      baseline: 10,
    });
  });
});
