// The trailing 7- and 30-day sums a ledger keeps in memory for its threshold check: after any
// batches (late ones included, inside and outside the periods) they equal the sums read afresh.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { TrailingPeriods } from "../../../src/ledger/trailing-periods.ts";
import { DAY_MS } from "../../../src/metrics/counters.ts";
import { minuteBatches, visitsAndOrders } from "../arbitraries.ts";
import { createPlatform } from "../helpers.ts";

beforeAll(async () => {
  await createPlatform("acme");
});

it("follows every batch: the held sums equal the sums read afresh", async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(minuteBatches(40), async (batches) => {
      const seller = `trail-${run++}`;
      const ledger = env.LEDGER.getByName(`acme:${seller}`);
      const from = Date.now() - 40 * DAY_MS;
      for (const [b, batch] of batches.entries()) {
        await ledger.apply("acme", seller, "USD", visitsAndOrders(seller, from, batch, b));
      }
      await runInDurableObject(ledger, (instance, state) => {
        const held = (instance as unknown as { trailing: TrailingPeriods }).trailing;
        const now = Date.now();
        expect(held.periods(state.storage.sql, now)).toEqual(new TrailingPeriods().periods(state.storage.sql, now));
      });
    }),
    { numRuns: 15 },
  );
});
