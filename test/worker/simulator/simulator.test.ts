// The simulator makes realistic, valid, reproducible traffic, here in the Workers runtime
// (the benchmarks and `npm start` run the same module in Node).
import { describe, expect, it } from "vitest";
import { expectedTotals } from "../../../simulator/expected.ts";
import { history, isoTime, makeStores, timeline, trickle } from "../../../simulator/generate.ts";
import { eventSchema, type SellerEvent, type SellerEventInput } from "../../../src/events/schema.ts";
import { validateEvents } from "../../../src/events/validate.ts";
import { foldEvents } from "../../../src/ledger/fold.ts";
import { orderValue } from "../../../src/ledger/money.ts";

const HOUR = 3_600_000;
const endMs = Date.parse("2026-11-20T09:30:00Z");
const week = history({ seed: 7, sellers: 30, days: 7, endMs });
const parsed = week.map((e) => eventSchema.parse(e));

function bySeller(events: SellerEvent[]): Map<string, SellerEvent[]> {
  const sellers = new Map<string, SellerEvent[]>();
  for (const e of events) sellers.set(e.seller_id, [...(sellers.get(e.seller_id) ?? []), e]);
  return sellers;
}

const ofType = <T extends SellerEvent["type"]>(type: T) =>
  parsed.filter((e): e is Extract<SellerEvent, { type: T }> => e.type === type);

describe("the simulator", () => {
  it("is deterministic for a seed", () => {
    expect(history({ seed: 7, sellers: 30, days: 7, endMs })).toEqual(week);
    expect(history({ seed: 8, sellers: 30, days: 7, endMs })).not.toEqual(week);
  });

  it("makes only valid USD events with unique ids, in time order, none after the end", () => {
    const { valid, rejected } = validateEvents(week, "USD", endMs);
    expect(rejected).toEqual([]);
    expect(valid).toHaveLength(week.length);
    expect(new Set(week.map((e) => e.event_id)).size).toBe(week.length);
    const times = week.map((e) => Date.parse(e.occurred_at));
    expect(times.every((t, i) => t <= endMs && (i === 0 || times[i - 1]! <= t))).toBe(true);
    expect(times[0]!).toBeGreaterThanOrEqual(endMs - 7 * 24 * HOUR - HOUR);
  });

  it("dates every lifecycle step after its placement, and none makes the ledger ignore it", () => {
    const placedAt = new Map(ofType("order.placed").map((e) => [e.order_id, e.occurred_at]));
    for (const e of parsed) {
      if ("order_id" in e && e.type !== "order.placed") expect(e.occurred_at > placedAt.get(e.order_id)!).toBe(true);
    }
    for (const events of bySeller(parsed).values()) {
      for (const outcome of foldEvents(events).orders.values()) {
        expect(outcome.ignored).toEqual([]);
        expect(outcome.status).not.toBe("held");
      }
    }
  });

  it("has a few large stores and many small ones, and can make one seller hot", () => {
    const sizes = makeStores({ seed: 7, sellers: 200 })
      .map((s) => s.ordersPerDay)
      .sort((a, b) => b - a);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(sizes.slice(0, 20).reduce((a, b) => a + b, 0) / total).toBeGreaterThan(0.3); // top 10% of stores
    expect(sizes[100]!).toBeLessThan(total / 200); // the median store is below the mean

    const hot = makeStores({ seed: 1, sellers: 20, hotShare: 0.5 });
    expect(hot[0]!.ordersPerDay / hot.reduce((a, s) => a + s.ordersPerDay, 0)).toBeCloseTo(0.5, 5);
    const big = makeStores({ seed: 1, sellers: 10_000 });
    expect(big).toHaveLength(10_000);
    expect(new Set(big.map((s) => s.id)).size).toBe(10_000);
  });

  it("varies categories, products, regions and channels", () => {
    const placed = ofType("order.placed");
    expect(new Set(placed.flatMap((e) => e.items.map((i) => i.category))).size).toBeGreaterThanOrEqual(6);
    expect(new Set(placed.map((e) => e.region)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(placed.map((e) => e.channel)).size).toBe(6);
    expect(placed.some((e) => e.items.length > 1)).toBe(true);
    // Orders follow the day: the busiest hour sees several times the quietest.
    const byHour = Array.from(
      { length: 24 },
      (_, h) => placed.filter((e) => new Date(e.occurred_at).getUTCHours() === h).length,
    );
    expect(Math.max(...byHour)).toBeGreaterThan(3 * Math.min(...byHour));
  });

  it("covers every kind of lifecycle", () => {
    expect([...new Set(week.map((e) => e.type))].sort()).toEqual([
      "order.accepted",
      "order.cancelled",
      "order.delivered",
      "order.placed",
      "order.refunded",
      "order.rejected",
      "order.shipped",
      "payout.paid",
      "rating.submitted",
      "storefront.visits",
    ]);
    expect(new Set(ofType("order.cancelled").map((e) => e.by))).toEqual(new Set(["buyer", "seller", "platform"]));

    const value = new Map(ofType("order.placed").map((e) => [e.order_id, orderValue(e.items)]));
    const refunds = ofType("order.refunded");
    expect(refunds.some((r) => r.amount < value.get(r.order_id)!)).toBe(true); // partial
    const refundedTotal = new Map<string, number>();
    for (const r of refunds) refundedTotal.set(r.order_id, (refundedTotal.get(r.order_id) ?? 0) + r.amount);
    expect([...refundedTotal].every(([order, sum]) => sum <= value.get(order)!)).toBe(true);
    expect(new Set(ofType("rating.submitted").map((e) => e.rating)).size).toBe(5);

    const totals = [...expectedTotals(week).values()];
    const sum = (field: keyof (typeof totals)[number]) => totals.reduce((a, c) => a + c[field], 0);
    expect(sum("orders")).toBe(ofType("order.placed").length);
    expect(sum("shipped_on_time")).toBeGreaterThan(0);
    expect(sum("shipped") - sum("shipped_on_time")).toBeGreaterThan(0); // late shipments
    expect(sum("payout_accrued")).toBeGreaterThan(0); // deliveries
    expect(sum("refunds")).toBeGreaterThan(0);
    expect(sum("ratings")).toBeGreaterThan(0);
    expect(sum("visits")).toBeGreaterThan(sum("orders"));
    // Payouts pay what was accrued, never more.
    expect(sum("payout_paid")).toBeGreaterThan(0);
    expect(totals.every((c) => c.payout_paid <= c.payout_accrued)).toBe(true);
  });

  it("draws the same events for the hours two histories share", () => {
    const later = history({ seed: 7, sellers: 30, days: 3, endMs: endMs + 5 * HOUR });
    const earlier = new Map(week.map((e) => [e.event_id, e]));
    const shared = later.filter((e) => e.type !== "payout.paid" && earlier.has(e.event_id));
    expect(shared.length).toBeGreaterThan(1000);
    for (const e of shared) expect(e).toEqual(earlier.get(e.event_id));
  });

  it("trickles new orders, their later steps and visits, and releases scheduled ones when due", () => {
    const { past, future } = timeline({ seed: 7, sellers: 30, days: 7, endMs });
    expect(past).toEqual(week);
    expect(future.length).toBeGreaterThan(0);
    expect(future.every((e) => Date.parse(e.occurred_at) > endMs)).toBe(true);

    const live = trickle({ seed: 3, sellers: 30, startMs: endMs, ordersPerMinute: 30, scheduled: future });
    const batches: SellerEventInput[][] = [];
    for (let ms = endMs + 2_000; ms <= endMs + 30 * 60_000; ms += 2_000) {
      const batch = live.next(ms);
      expect(validateEvents(batch, "USD", ms).rejected).toEqual([]);
      expect(batch.every((e) => Date.parse(e.occurred_at) <= ms)).toBe(true);
      batches.push(batch);
    }
    const events = batches.flat();
    const types = new Set(events.filter((e) => e.event_id.startsWith("live-")).map((e) => e.type));
    for (const type of ["order.placed", "order.accepted", "order.shipped", "storefront.visits"])
      expect(types).toContain(type);
    const placed = events.filter((e) => e.type === "order.placed" && e.event_id.startsWith("live-")).length;
    expect(placed).toBeGreaterThan(700);
    expect(placed).toBeLessThan(1100);
    const released = events.filter((e) => !e.event_id.startsWith("live-"));
    expect(released).toEqual(future.filter((e) => Date.parse(e.occurred_at) <= endMs + 30 * 60_000));
    expect(new Set([...week, ...events].map((e) => e.event_id)).size).toBe(week.length + events.length);
    const liveOrders = events.filter((e) => e.event_id.startsWith("live-")).map((e) => eventSchema.parse(e));
    for (const sellerEvents of bySeller(liveOrders).values()) {
      for (const outcome of foldEvents(sellerEvents).orders.values()) expect(outcome.ignored).toEqual([]);
    }
  });

  it("formats timestamps exactly as Date.toISOString does", () => {
    for (const ms of [0, 999, 59_999, 86_399_999, endMs, endMs + 123_456_789, Date.parse("2028-02-29T23:59:59.999Z")]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
