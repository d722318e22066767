// fast-check arbitraries: random order lifecycles of one seller, and arrivals of them in any
// order with duplicates, next to the same events in order.
import fc from "fast-check";
import {
  cancelled,
  eventsAt,
  parse,
  payout,
  placed,
  rating,
  refunded,
  rejected,
  step,
  visits,
} from "../support/builders.ts";

const S = "s-1";

/** One order's events, in occurred_at order, from a random but valid-looking lifecycle. */
const orderStream = (seller: string, order: string, start: number) =>
  fc
    .record({
      path: fc.constantFrom("open", "accepted", "rejected", "cancelled", "shipped", "delivered", "delivered-late"),
      cancelBy: fc.constantFrom("buyer", "seller", "platform") as fc.Arbitrary<"buyer" | "seller" | "platform">,
      gaps: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 6, maxLength: 6 }),
      refunds: fc.array(fc.integer({ min: 1, max: 2000 }), { maxLength: 3 }),
      ratings: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }),
      quantity: fc.integer({ min: 1, max: 5 }),
      fee: fc.integer({ min: 0, max: 300 }),
    })
    .map(({ path, cancelBy, gaps, refunds, ratings, quantity, fee }) => {
      let t = start;
      const next = (i: number) => (t += gaps[i]!);
      const events = [
        placed(seller, order, t, {
          fee,
          items: [{ product_id: `p-${order}`, category: "c", quantity, unit_price: 1000 }],
        }),
      ];
      if (path === "rejected") events.push(rejected(seller, order, next(0)));
      if (path !== "open" && path !== "rejected") events.push(step("order.accepted", seller, order, next(0)));
      if (path === "cancelled") events.push(cancelled(seller, order, next(1), cancelBy));
      if (path.startsWith("shipped") || path.startsWith("delivered")) {
        events.push(step("order.shipped", seller, order, path === "delivered-late" ? next(1) + 3000 : next(1)));
      }
      if (path.startsWith("delivered")) events.push(step("order.delivered", seller, order, next(2)));
      for (const [i, amount] of refunds.entries())
        events.push(refunded(seller, order, next(3) + i, amount, `r-${order}-${i}`));
      for (const [i, value] of ratings.entries()) events.push(rating(seller, order, next(4) + i, value));
      return events.map(parse);
    });

const sellerStream = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 6 }),
    fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 3 }),
  )
  .chain(([orderStarts, otherTimes]) =>
    fc
      .tuple(...orderStarts.map((start, i) => orderStream(S, `o-${i}`, start)))
      .map((orders) => [
        ...orders.flat(),
        ...otherTimes.flatMap((m, i) => [
          parse(visits(S, m, 10 + i, `${m}-${i}`)),
          parse(payout(S, m, 500 + i, `po-${i}`)),
        ]),
      ]),
  );

/** The stream in order, then a shuffled copy of it with some events repeated. */
export const arrivals = sellerStream.chain((events) => {
  const inOrder = [...events].sort((a, b) =>
    a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0,
  );
  return fc
    .tuple(
      fc.shuffledSubarray(events, { minLength: 0 }),
      fc.array(fc.nat(), { minLength: events.length, maxLength: events.length }),
    )
    .map(([repeats, keys]) => {
      const shuffled = [...events, ...repeats]
        .map((event, i) => ({ event, key: keys[i % keys.length]! * 1000 + i }))
        .sort((a, b) => a.key - b.key)
        .map((x) => x.event);
      return { inOrder, shuffled };
    });
});

/** Up to 5 batches of up to 6 (minute since the start, count) pairs, the minutes within `days`. */
export const minuteBatches = (days: number) =>
  fc.array(
    fc.array(fc.tuple(fc.integer({ min: 0, max: days * 24 * 60 }), fc.integer({ min: 1, max: 9 })), {
      minLength: 1,
      maxLength: 6,
    }),
    { minLength: 1, maxLength: 5 },
  );

/** Batch `b` of `minuteBatches` as events from `fromMs`: at each minute, `n` visits and an order of `n` units. */
export function visitsAndOrders(seller: string, fromMs: number, batch: [number, number][], b: number) {
  const { placed, visits } = eventsAt(fromMs);
  return batch
    .flatMap(([minute, n], i) => [
      visits(seller, minute, n, `${b}-${i}`),
      placed(seller, `o-${b}-${i}`, minute, {
        items: [{ product_id: "p", category: "c", quantity: n, unit_price: 100 }],
      }),
    ])
    .map(parse);
}
