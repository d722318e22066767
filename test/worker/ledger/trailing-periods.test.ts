// The trailing 7- and 30-day sums a ledger keeps in memory for its threshold check: after any
// batches (late ones included, inside and outside the periods) they equal the sums read afresh.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { TrailingPeriods } from "../../../src/ledger/trailing-periods.ts";
import { DAY_MS } from "../../../src/metrics/counters.ts";
import { eventsAt, parse } from "../../support/builders.ts";
import { createPlatform } from "../helpers.ts";

beforeAll(async () => {
  await createPlatform("acme");
});

it("follows every batch: the held sums equal the sums read afresh", async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 * 24 * 60 }), fc.integer({ min: 1, max: 9 })), {
          minLength: 1,
          maxLength: 6,
        }),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
      async (batches) => {
        const seller = `trail-${run++}`;
        const ledger = env.LEDGER.getByName(`acme:${seller}`);
        const { placed, visits } = eventsAt(Date.now() - 40 * DAY_MS);
        for (const [b, batch] of batches.entries()) {
          const events = batch.flatMap(([minute, n], i) => [
            visits(seller, minute, n, `${b}-${i}`),
            placed(seller, `o-${b}-${i}`, minute, {
              items: [{ product_id: "p", category: "c", quantity: n, unit_price: 100 }],
            }),
          ]);
          await ledger.apply("acme", seller, "USD", events.map(parse));
        }
        await runInDurableObject(ledger, (instance, state) => {
          const held = (instance as unknown as { trailing: TrailingPeriods }).trailing;
          const now = Date.now();
          expect(held.periods(state.storage.sql, now)).toEqual(new TrailingPeriods().periods(state.storage.sql, now));
        });
      },
    ),
    { numRuns: 15 },
  );
});
