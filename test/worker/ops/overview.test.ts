// The platform at a glance (GET /v1/ops/overview): today, 7 and 30 days against the period before,
// as the sums of the sellers' own summaries (the ledgers are the truth; the overview reads D1's
// rollups once flushed), with a trend whose buckets add up to the period; the platform's own only.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { HOUR_MS } from "../../../src/metrics/counters.ts";
import { spansOf, trendOf } from "../../../src/ops/overview-figures.ts";
import { earlierToday, eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const DAY = 24 * 60;
const SELLERS = ["g-1", "g-2", "g-3"];
let key: string;
let other: string;

/** Each seller's orders: today, yesterday at the same time, 5, 10 and 40 days ago, in several states. */
function eventsOf(seller: string, n: number) {
  const { placed, step, rejected, cancelled, rating, visits } = eventsAt(earlierToday(Date.now(), 20));
  const events = [];
  for (const [k, daysAgo] of [0, 1, 5, 10, 40].entries()) {
    if (seller === "g-3" && daysAgo === 0) continue; // not active today
    const m = -daysAgo * DAY;
    const o = (i: number) => `${seller}-${daysAgo}-${i}`;
    const price = { items: [{ product_id: "p", category: "c", quantity: 1, unit_price: 1000 * (n + k + 1) }] };
    events.push(
      placed(seller, o(1), m, { ...price, ship_within_hours: 1 }),
      step("order.shipped", seller, o(1), m + 30), // on time
      rating(seller, o(1), m + 2, 3 + ((n + k) % 3)),
      placed(seller, o(2), m + 1, { ...price, ship_within_hours: 0.1 }),
      step("order.shipped", seller, o(2), m + 15), // late
      placed(seller, o(3), m + 2, price),
      rejected(seller, o(3), m + 3),
      placed(seller, o(4), m + 3, price),
      cancelled(seller, o(4), m + 4, "seller"),
      visits(seller, m + 5, 10 * (n + 1), `v-${daysAgo}`),
    );
  }
  return events;
}

beforeAll(async () => {
  key = await createPlatform("glance");
  other = await createPlatform("glance-b");
  for (const [n, seller] of SELLERS.entries()) {
    expect((await api("/v1/events", { method: "POST", token: key, json: eventsOf(seller, n) })).status).toBe(202);
  }
  expect((await api("/v1/events", { method: "POST", token: other, json: eventsOf("g-1", 9) })).status).toBe(202);
  for (const [platform, seller] of [...SELLERS.map((s) => ["glance", s]), ["glance-b", "g-1"]]) {
    const ledger = env.LEDGER.getByName(`${platform}:${seller}`);
    const placedOrders = seller === "g-3" ? 16 : 20;
    await eventually(async () => expect((await ledger.summary(seller!, "USD")).periods.all.orders).toBe(placedOrders));
    await ledger.flush();
  }
});

type Figures = Record<string, number | null | string>;
/** The overview's figures, worked out from the sellers' own summaries (periods and ?compare=previous). */
async function expected(period: "today" | "7d" | "30d") {
  const sums = { current: zero(), previous: zero() };
  for (const seller of SELLERS) {
    const s = (await (await api(`/v1/sellers/${seller}/summary?compare=previous`, { token: key })).json()) as any;
    add(sums.current, s.periods[period]);
    add(sums.previous, s.previous[period]);
  }
  return { current: figures(sums.current), previous: figures(sums.previous) };
}
const zero = () => ({
  sellers: 0,
  gmv: 0,
  orders: 0,
  accepted: 0,
  rejected: 0,
  cancelled: 0,
  shipped: 0,
  on: 0,
  ratings: 0,
  stars: 0,
  visits: 0,
});
function add(into: ReturnType<typeof zero>, p: any): void {
  into.sellers += p.orders > 0 ? 1 : 0;
  into.gmv += p.gmv;
  into.orders += p.orders;
  into.accepted += p.accepted;
  into.rejected += p.rejected;
  into.cancelled += p.cancelled;
  into.shipped += p.shipped;
  into.on += p.shipped_on_time;
  into.ratings += p.ratings;
  into.stars += (p.avg_rating ?? 0) * p.ratings;
  into.visits += p.visits;
}
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const figures = (s: ReturnType<typeof zero>): Figures => ({
  sellers_active: s.sellers,
  gmv: s.gmv,
  orders: s.orders,
  acceptance_rate: ratio(s.accepted, s.accepted + s.rejected),
  cancellation_rate: ratio(s.cancelled, s.orders),
  sla_compliance: ratio(s.on, s.shipped),
  avg_rating: ratio(s.stars, s.ratings),
  conversion_rate: ratio(s.orders, s.visits),
});
const shown = (o: any): Figures => ({
  sellers_active: o.sellers_active,
  gmv: o.gmv,
  orders: o.orders,
  acceptance_rate: o.acceptance_rate,
  cancellation_rate: o.cancellation_rate,
  sla_compliance: o.sla_compliance,
  avg_rating: o.avg_rating === null ? null : Math.round(o.avg_rating * 1e9) / 1e9,
  conversion_rate: o.conversion_rate,
});
const rounded = (f: Figures): Figures => ({
  ...f,
  avg_rating: f.avg_rating === null ? null : Math.round((f.avg_rating as number) * 1e9) / 1e9,
});

describe("the platform at a glance", () => {
  for (const period of ["today", "7d", "30d"] as const) {
    it(`sums the sellers' ${period} and the period before, with a trend that adds up`, async () => {
      const res = await api(`/v1/ops/overview?period=${period}`, { token: key });
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      const want = await expected(period);
      expect(shown(body)).toEqual(rounded(want.current));
      expect(shown(body.previous)).toEqual(rounded(want.previous));
      expect(body.gmv).toBeGreaterThan(0);
      expect(body.previous.gmv).toBeGreaterThan(0);
      expect(body).toMatchObject({ currency: "USD", period });
      const spans = spansOf(period, Date.parse(body.as_of));
      expect([body.from, body.to]).toEqual(spans.current.map((h) => new Date(h * HOUR_MS).toISOString()));
      expect(body.trend).toHaveLength(
        period === "today" ? spans.current[1] - spans.current[0] : period === "7d" ? 7 : 30,
      );
      expect(body.trend.reduce((sum: number, p: any) => sum + p.gmv, 0)).toBe(body.gmv);
      expect(body.trend.reduce((sum: number, p: any) => sum + p.orders, 0)).toBe(body.orders);
    });
  }

  it("counts only the platform's own sellers", async () => {
    const theirs = (await (await api("/v1/ops/overview?period=30d", { token: other })).json()) as any;
    expect(theirs.sellers_active).toBe(1);
    expect(theirs.orders).toBe(16); // today, yesterday, 5 and 10 days ago; 40 days ago is the period before
  });

  it("refuses another period, and a seller's session", async () => {
    expect((await api("/v1/ops/overview?period=all", { token: key })).status).toBe(400);
    const session = await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "g-1" } });
    const token = ((await session.json()) as { token: string }).token;
    expect((await api("/v1/ops/overview", { token })).status).toBe(403);
  });
});

describe("the overview's spans and trend", () => {
  const now = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) });

  it("compares a period with as many hours before it (today: up to the same hour of yesterday)", () => {
    fc.assert(
      fc.property(now, fc.constantFrom("today" as const, "7d" as const, "30d" as const), (nowMs, period) => {
        const { current, previous } = spansOf(period, nowMs);
        expect(current[1]).toBe(Math.floor(nowMs / HOUR_MS) + 1);
        expect(previous[1]).toBeLessThanOrEqual(current[0]);
        if (period === "today") expect(previous).toEqual(current.map((h) => h - 24));
        else expect(previous[1] - previous[0]).toBe(period === "7d" ? 168 : 720);
      }),
    );
  });

  it("has one bucket per hour of today or day of the period, zeros included", () => {
    fc.assert(
      fc.property(now, fc.constantFrom("today" as const, "7d" as const, "30d" as const), (nowMs, period) => {
        const spans = spansOf(period, nowMs);
        const first = Math.floor(spans.current[0] / spans.bucketHours);
        const trend = trendOf([{ bucket: first, gmv: 5, orders: 1 }], spans);
        expect(trend.length).toBe(period === "today" ? spans.current[1] - spans.current[0] : period === "7d" ? 7 : 30);
        expect(trend[0]).toEqual({ t: new Date(spans.current[0] * HOUR_MS).toISOString(), gmv: 5, orders: 1 });
        expect(trend.slice(1).every((p) => p.gmv === 0 && p.orders === 0)).toBe(true);
      }),
    );
  });
});
