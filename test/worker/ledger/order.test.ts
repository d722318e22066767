// The order state machine and the pure ledger, without bindings.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SellerEvent } from "../../../src/events/schema.ts";
import { foldEvents } from "../../../src/ledger/fold.ts";
import { commissionOf } from "../../../src/ledger/money.ts";
import { deriveOrder } from "../../../src/ledger/order.ts";
import { sumCounters } from "../../../src/metrics/counters.ts";
import {
  at,
  cancelled,
  orderEvents,
  parse,
  payout,
  placed,
  rating,
  refunded,
  rejected,
  step,
  T0,
  visits,
} from "../../support/builders.ts";
import { foldedSummary } from "../../support/reference-summary.ts";
import { arrivals } from "../arbitraries.ts";

const S = "s-1";
/** The summary and every order's status after folding `events`. */
const summaryOf = (events: SellerEvent[], nowMs = T0 + 60 * 60_000) => ({
  summary: foldedSummary(S, events, nowMs),
  statuses: [...foldEvents(events).orders].map(([id, o]) => [id, o.status]).sort(),
});

describe("commission", () => {
  it("rounds half up per order in integer arithmetic", () => {
    expect(commissionOf(3000, 1000)).toBe(300);
    expect(commissionOf(5, 1000)).toBe(1); // 0.5 → 1
    expect(commissionOf(4, 1000)).toBe(0); // 0.4 → 0
    expect(commissionOf(15, 1000)).toBe(2); // 1.5 → 2
    expect(commissionOf(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe("deriveOrder", () => {
  it("holds events until the order is placed", () => {
    const outcome = deriveOrder(orderEvents(step("order.shipped", S, "o", 10)));
    expect(outcome.status).toBe("held");
    expect(outcome.hourly.size).toBe(0);
  });

  it("counts a shipment without acceptance as accepted at shipment", () => {
    const outcome = deriveOrder(orderEvents(placed(S, "o", 0), step("order.shipped", S, "o", 10)));
    const counters = outcome.hourly.get(Math.floor(T0 / 3_600_000))!;
    expect(outcome.status).toBe("shipped");
    expect(counters.accepted).toBe(1);
    expect(counters.shipped_on_time).toBe(1);
  });

  it("ignores a rejection after acceptance and anything after a rejection", () => {
    const afterAcceptance = deriveOrder(
      orderEvents(placed(S, "o", 0), step("order.accepted", S, "o", 1), rejected(S, "o", 2)),
    );
    expect(afterAcceptance.status).toBe("accepted");
    expect(afterAcceptance.ignored.map((e) => e.type)).toEqual(["order.rejected"]);
    const afterRejection = deriveOrder(
      orderEvents(placed(S, "o", 0), rejected(S, "o", 1), step("order.shipped", S, "o", 2)),
    );
    expect(afterRejection.status).toBe("rejected");
    expect(afterRejection.ignored.map((e) => e.type)).toEqual(["order.shipped"]);
  });

  it("ignores a cancellation after delivery", () => {
    const outcome = deriveOrder(
      orderEvents(
        placed(S, "o", 0),
        step("order.accepted", S, "o", 1),
        step("order.shipped", S, "o", 2),
        step("order.delivered", S, "o", 3),
        cancelled(S, "o", 4, "buyer"),
      ),
    );
    expect(outcome.status).toBe("delivered");
    expect(outcome.ignored).toHaveLength(1);
  });

  /** The placement hour's counters of an order with an SLA of `slaHours`, shipped `minutes` after placement. */
  const shippedAt = (slaHours: number, minutes: number) =>
    deriveOrder(
      orderEvents(placed(S, "o", 0, { ship_within_hours: slaHours }), step("order.shipped", S, "o", minutes)),
    ).hourly.get(Math.floor(T0 / 3_600_000))!;

  it("the deadline itself is on time; a minute later is late", () => {
    expect(shippedAt(2, 120).shipped_on_time).toBe(1);
    expect(shippedAt(2, 121).shipped_on_time).toBe(0);
    expect(shippedAt(2, 121).shipped).toBe(1);
  });

  it("an SLA of 0 hours is on time only when shipped at placement", () => {
    expect(shippedAt(0, 0).shipped_on_time).toBe(1);
    expect(shippedAt(0, 1).shipped_on_time).toBe(0);
  });

  it("caps cumulative refunds at the order's value, in occurred_at order", () => {
    const outcome = deriveOrder(
      orderEvents(
        placed(S, "o", 0), // value 3000
        refunded(S, "o", 20, 2500),
        refunded(S, "o", 10, 1000), // earlier: applied first
      ),
    );
    const total = sumCounters(outcome.hourly.values());
    expect(total.refunds).toBe(3000);
  });

  it("splits value over categories and gives the count to the largest line (first on a tie)", () => {
    const outcome = deriveOrder(
      orderEvents(
        placed(S, "o", 0, {
          items: [
            { product_id: "a", category: "hats", quantity: 1, unit_price: 500 },
            { product_id: "b", category: "shoes", quantity: 1, unit_price: 500 },
            { product_id: "c", category: "shoes", quantity: 1, unit_price: 200 },
          ],
        }),
      ),
    );
    const categories = outcome.dimensions.filter((d) => d.by === "category");
    expect(categories).toEqual([
      expect.objectContaining({ key: "hats", gmv: 500, orders: 1 }),
      expect.objectContaining({ key: "shoes", gmv: 700, orders: 0 }),
    ]);
  });
});

describe("the pure ledger", () => {
  it("any arrival order with any duplicates gives the in-order result", () => {
    fc.assert(
      fc.property(arrivals, ({ inOrder, shuffled }) => {
        expect(summaryOf(shuffled)).toEqual(summaryOf(inOrder));
      }),
      { numRuns: 300 },
    );
  });

  it("a repeated refund_id or payout_id counts once, whatever its event_id", () => {
    const events = [
      parse(placed(S, "o", 0)),
      parse(refunded(S, "o", 5, 100, "r-1")),
      { ...parse(refunded(S, "o", 6, 100, "r-1")), event_id: "another-id" },
      parse(payout(S, 7, 900, "po-1")),
      { ...parse(payout(S, 8, 900, "po-1")), event_id: "yet-another-id" },
    ];
    const total = sumCounters(foldEvents(events).hourly.values());
    expect(total.refunds).toBe(100);
    expect(total.payout_paid).toBe(900);
  });

  it("matches a hand-computed scenario", () => {
    // o-1: 2 × 15.00, 10% commission, fee 0.50; delivered; partial refund 5.00 after delivery.
    // o-2: 1 × 40.00, cancelled by the seller. o-3: shipped 25 h after placement (SLA 24 h).
    const events = [
      placed(S, "o-1", 0, { fee: 50 }),
      step("order.accepted", S, "o-1", 1),
      step("order.shipped", S, "o-1", 60),
      step("order.delivered", S, "o-1", 120),
      refunded(S, "o-1", 180, 500),
      rating(S, "o-1", 200, 5),
      placed(S, "o-2", 2, { items: [{ product_id: "p-2", category: "bags", quantity: 1, unit_price: 4000 }] }),
      cancelled(S, "o-2", 3, "seller"),
      placed(S, "o-3", 4),
      step("order.accepted", S, "o-3", 5),
      step("order.shipped", S, "o-3", 4 + 25 * 60),
      rating(S, "o-3", 30 * 60, 2),
      visits(S, 0, 40),
      payout(S, 300, 1000),
    ].map(parse);
    const { hourly } = foldEvents(events);
    const all = sumCounters(hourly.values());
    expect(all).toMatchObject({
      orders: 3,
      gmv: 3000 + 3000, // o-2 cancelled: no GMV
      accepted: 2,
      cancelled: 1,
      cancelled_by_seller: 1,
      shipped: 2,
      shipped_on_time: 1,
      ratings: 2,
      rating_sum: 7,
      visits: 40,
      refunds: 500,
      // o-1 accrues 3000 − 300 − 50 = 2650 at delivery, less the 500 refund.
      payout_accrued: 2150,
      commission: 300,
      fees: 50,
      refunds_deducted: 500,
      payout_paid: 1000,
    });
  });
});

describe("events with the same occurred_at", () => {
  it("apply in lifecycle order, whatever their ids", () => {
    // Ids that sort against the lifecycle: "a" (delivered) < "b" (shipped) < "c" (accepted) < "d" (placed).
    const same = (input: ReturnType<typeof placed>, id: string) => ({ ...input, occurred_at: at(0), event_id: id });
    const outcome = deriveOrder(
      orderEvents(
        same(step("order.delivered", S, "o", 0), "a"),
        same(step("order.shipped", S, "o", 0), "b"),
        same(step("order.accepted", S, "o", 0), "c"),
        same(placed(S, "o", 0), "d"),
      ),
    );
    expect(outcome.ignored).toEqual([]);
    expect(outcome.status).toBe("delivered");
  });
});
