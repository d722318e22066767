// The simulator makes realistic, valid, reproducible traffic.
import { describe, expect, it } from "vitest";
import { validateEvents } from "../../src/events/validate.ts";
import { expectedTotals } from "../../scripts/simulator/expected.ts";
import { history, makeStores, trickle } from "../../scripts/simulator/generate.ts";

const endMs = Date.parse("2026-11-20T00:00:00Z");
const week = history({ seed: 7, sellers: 30, days: 7, endMs });

describe("the simulator", () => {
  it("is deterministic for a seed", () => {
    expect(history({ seed: 7, sellers: 30, days: 7, endMs })).toEqual(week);
    expect(history({ seed: 8, sellers: 30, days: 7, endMs })).not.toEqual(week);
  });

  it("makes only valid events with unique ids, none after the end", () => {
    const { valid, rejected } = validateEvents(week, "USD", endMs);
    expect(rejected).toEqual([]);
    expect(new Set(valid.map((e) => e.event_id)).size).toBe(valid.length);
    expect(valid.every((e) => Date.parse(e.occurred_at) <= endMs)).toBe(true);
  });

  it("has a few large stores and many small ones", () => {
    const sizes = makeStores({ seed: 7, sellers: 200 }).map((s) => s.ordersPerDay).sort((a, b) => b - a);
    const top10 = sizes.slice(0, 20).reduce((a, b) => a + b, 0);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(top10 / total).toBeGreaterThan(0.3); // the top 10% of stores take far more than 10%
    expect(sizes[100]!).toBeLessThan(total / 200);
  });

  it("can make one seller hot", () => {
    const stores = makeStores({ seed: 1, sellers: 20, hotShare: 0.5 });
    const total = stores.reduce((a, s) => a + s.ordersPerDay, 0);
    expect(stores[0]!.ordersPerDay / total).toBeCloseTo(0.5, 5);
  });

  it("covers every kind of lifecycle", () => {
    const types = new Set(week.map((e) => e.type));
    expect([...types].sort()).toEqual([
      "order.accepted", "order.cancelled", "order.delivered", "order.placed", "order.refunded",
      "order.rejected", "order.shipped", "payout.paid", "rating.submitted", "storefront.visits",
    ]);
    const cancelledBy = new Set(week.flatMap((e) => (e.type === "order.cancelled" ? [e.by] : [])));
    expect(cancelledBy).toEqual(new Set(["buyer", "seller", "platform"]));
    const totals = [...expectedTotals(week).values()];
    const sum = (f: "shipped" | "shipped_on_time" | "refunds" | "ratings") => totals.reduce((a, c) => a + c[f], 0);
    expect(sum("shipped") - sum("shipped_on_time")).toBeGreaterThan(0); // late shipments
    expect(sum("refunds")).toBeGreaterThan(0);
    expect(sum("ratings")).toBeGreaterThan(0);
  });

  it("trickles new orders and their later steps", () => {
    const live = trickle({ seed: 3, sellers: 10, startMs: endMs, ordersPerMinute: 30 });
    const first = live.next(endMs + 60_000);
    expect(first.filter((e) => e.type === "order.placed").length).toBeGreaterThan(10);
    const later = live.next(endMs + 30 * 60_000);
    expect(later.some((e) => e.type === "order.shipped")).toBe(true);
    expect(validateEvents([...first, ...later], "USD", endMs + 30 * 60_000).rejected).toEqual([]);
  });
});
