// A small scripted scenario read through the API, against figures computed by hand.
import { beforeAll, describe, expect, it } from "vitest";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const nowMs = Date.now();
const today = Math.floor(nowMs / DAY) * DAY;
const d2 = today - 2 * DAY + 10 * HOUR; // two days ago, 10:00 UTC
const iso = (ms: number) => new Date(ms).toISOString();
const S = "scripted";
// Times in ms since the epoch: the builders count minutes from 0.
const b = eventsAt(0);
const m = (ms: number) => ms / 60_000;
type Line = [product_id: string, category: string, quantity: number, unit_price: number];
const order = (id: string, ms: number, lines: Line[], extra: Parameters<typeof b.placed>[3] = {}) =>
  b.placed(S, id, m(ms), {
    items: lines.map(([product_id, category, quantity, unit_price]) => ({
      product_id,
      category,
      quantity,
      unit_price,
    })),
    ...extra,
  });
const step = (type: Parameters<typeof b.step>[0], id: string, ms: number) => b.step(type, S, id, m(ms));

const events = [
  // o-1: 2 × 15.00 shoes + 1 × 10.00 hat, fee 0.50; shipped in 2 h, delivered a day later,
  // 7.00 refunded after delivery, rated 5.
  order(
    "o-1",
    d2,
    [
      ["p-1", "shoes", 2, 1500],
      ["p-2", "hats", 1, 1000],
    ],
    { fee: 50 },
  ),
  step("order.accepted", "o-1", d2 + 10 * 60_000),
  step("order.shipped", "o-1", d2 + 2 * HOUR),
  step("order.delivered", "o-1", d2 + DAY),
  b.refunded(S, "o-1", m(d2 + DAY + 2 * HOUR), 700, "r-1"),
  b.rating(S, "o-1", m(d2 + DAY + 3 * HOUR), 5),
  // o-2: cancelled by the seller before acceptance: an order, no GMV.
  order("o-2", d2 + HOUR, [["p-3", "bags", 1, 2500]], { channel: "ads" }),
  b.cancelled(S, "o-2", m(d2 + HOUR + 30 * 60_000), "seller"),
  // o-3: shipped 25 h after placement with a 24 h SLA: late. Rated 2.
  order("o-3", d2 + 2 * HOUR, [["p-1", "shoes", 1, 1200]]),
  step("order.accepted", "o-3", d2 + 2 * HOUR + 60_000),
  step("order.shipped", "o-3", d2 + 27 * HOUR),
  b.rating(S, "o-3", m(d2 + 28 * HOUR), 2),
  // o-4: rejected.
  order("o-4", d2 + 3 * HOUR, [["p-4", "toys", 1, 800]]),
  b.rejected(S, "o-4", m(d2 + 3 * HOUR + 60_000)),
  b.visits(S, m(d2), 50),
  // o-5: forty days ago, delivered without a shipment event: only in "all".
  order("o-5", today - 40 * DAY, [["p-5", "books", 1, 9000]], { channel: "direct" }),
  step("order.accepted", "o-5", today - 40 * DAY + 60_000),
  step("order.delivered", "o-5", today - 40 * DAY + 2 * HOUR),
  // o-6: today at 00:00, accepted, a 1 h SLA.
  order("o-6", today, [["p-4", "toys", 1, 500]], { ship_within_hours: 1 }),
  step("order.accepted", "o-6", today),
  b.visits(S, m(today), 10),
  b.payout(S, m(today), 2000, "po-1"),
];

let key: string;
const get = async (path: string) => {
  const res = await api(path, { token: key });
  expect(res.status).toBe(200);
  return (await res.json()) as any;
};

beforeAll(async () => {
  key = await createPlatform("scripted");
  // Reverse order of arrival, and everything twice: the figures must not change.
  const arrival = [...events].reverse();
  for (const batch of [arrival, arrival]) {
    const res = await api("/v1/events", { method: "POST", token: key, json: batch });
    expect(await res.json()).toEqual({ accepted: events.length, rejected: [] });
  }
  await eventually(async () => expect((await get(`/v1/sellers/${S}/summary`)).periods.all.orders).toBe(6));
});

describe("a scripted seller", () => {
  it("has the summary computed by hand", async () => {
    const summary = await get(`/v1/sellers/${S}/summary`);
    const week = {
      orders: 5,
      gmv: 4000 + 1200 + 500,
      accepted: 3,
      rejected: 1,
      acceptance_rate: 3 / 4,
      cancelled: 1,
      cancelled_by_seller: 1,
      cancellation_rate: 1 / 5,
      seller_cancellation_rate: 1 / 5,
      shipped: 2,
      shipped_on_time: 1,
      late_shipments: 1,
      sla_compliance: 0.5,
      ratings: 2,
      avg_rating: 3.5,
      positive_ratings: 1,
      negative_ratings: 1,
      visits: 60,
      conversion_rate: 5 / 60,
      refunds: 700,
      payout_accrued: 4000 - 400 - 50 - 700,
      payout_paid: 2000,
    };
    expect(summary.periods["7d"]).toEqual(week);
    expect(summary.periods["30d"]).toEqual(week);
    expect(summary.periods.today).toMatchObject({
      orders: 1,
      gmv: 500,
      accepted: 1,
      visits: 10,
      conversion_rate: 0.1,
      payout_paid: 2000,
      ratings: 0,
      avg_rating: null,
      sla_compliance: null,
    });
    expect(summary.periods.all).toMatchObject({
      orders: 6,
      gmv: 14700,
      accepted: 4,
      acceptance_rate: 0.8,
      shipped: 3,
      shipped_on_time: 2,
      payout_accrued: 2850 + 8100,
    });
    expect(summary.payout).toEqual({
      accrued: 10950,
      paid: 2000,
      pending: 8950,
      commission: 1300,
      fees: 50,
      refunds: 700,
    });
    expect(summary.open).toEqual({
      awaiting_acceptance: 0,
      awaiting_shipment: 1,
      overdue: Date.now() > today + HOUR ? 1 : 0,
    });
    expect(summary.currency).toBe("USD");
    expect(Date.parse(summary.updated_at)).toBeGreaterThan(nowMs - 60_000);
  });

  it("says when its figures start, and compares each period with the one before", async () => {
    const summary = await get(`/v1/sellers/${S}/summary?compare=previous`);
    expect(summary.since).toBe(iso(today - 40 * DAY)); // o-5, forty days ago
    // Yesterday (up to this hour) and the 7 days before the 7d period hold nothing; the 30 days
    // before the 30d period hold o-5, placed forty days ago, accepted and delivered.
    expect(summary.previous.today).toMatchObject({ orders: 0, gmv: 0, visits: 0 });
    expect(summary.previous["7d"]).toMatchObject({ orders: 0, gmv: 0 });
    expect(summary.previous["30d"]).toMatchObject({ orders: 1, gmv: 9000, accepted: 1, acceptance_rate: 1 });
    expect((await get(`/v1/sellers/${S}/summary`)).previous).toBeUndefined();
  });

  it("has daily and hourly timeseries with every bucket present", async () => {
    const daily = await get(
      `/v1/sellers/${S}/timeseries?metric=orders&granularity=day&from=${iso(today - 2 * DAY)}&to=${iso(today + DAY)}`,
    );
    expect(daily).toEqual({
      metric: "orders",
      granularity: "day",
      points: [
        { t: iso(today - 2 * DAY), value: 4 },
        { t: iso(today - DAY), value: 0 },
        { t: iso(today), value: 1 },
      ],
    });
    // from inside an hour starts at the next bucket; to is exclusive.
    const hourly = await get(
      `/v1/sellers/${S}/timeseries?metric=gmv&granularity=hour&from=${iso(d2 - 1)}&to=${iso(d2 + 3 * HOUR)}`,
    );
    expect(hourly.points).toEqual([
      { t: iso(d2), value: 4000 },
      { t: iso(d2 + HOUR), value: 0 },
      { t: iso(d2 + 2 * HOUR), value: 1200 },
    ]);
    const late = await get(
      `/v1/sellers/${S}/timeseries?metric=late_shipments&granularity=day&from=${iso(today - 2 * DAY)}&to=${iso(today - DAY)}`,
    );
    expect(late.points).toEqual([{ t: iso(today - 2 * DAY), value: 1 }]);
  });

  it("has breakdowns that add up to the period's gmv and orders, by category, channel (with visits) and region", async () => {
    const byCategory = await get(`/v1/sellers/${S}/breakdown?by=category`);
    expect(byCategory.rows).toEqual([
      { key: "books", gmv: 9000, orders: 1 },
      { key: "shoes", gmv: 4200, orders: 2 },
      { key: "hats", gmv: 1000, orders: 0 },
      { key: "toys", gmv: 500, orders: 2 },
      { key: "bags", gmv: 0, orders: 1 },
    ]);
    const byChannel = await get(
      `/v1/sellers/${S}/breakdown?by=channel&from=${iso(today - 6 * DAY)}&to=${iso(today + DAY)}`,
    );
    expect(byChannel).toEqual({
      by: "channel",
      rows: [
        { key: "search", gmv: 5700, orders: 4, visits: 60, conversion_rate: 4 / 60 },
        { key: "ads", gmv: 0, orders: 1, visits: 0, conversion_rate: null },
      ],
    });
    const byRegion = await get(`/v1/sellers/${S}/breakdown?by=region`);
    expect(byRegion).toEqual({ by: "region", rows: [{ key: "eu", gmv: 14_700, orders: 6 }] });
  });
});
