// The sums of hours before a ledger's trailing 30 days, sealed in one row: after any batches
// (late ones into sealed hours included) the summary equals the one summed from every hourly row.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { summaryOf } from "../../../src/ledger/reads.ts";
import { DAY_MS } from "../../../src/metrics/counters.ts";
import { eventsAt, parse } from "../../support/builders.ts";
import { createPlatform } from "../helpers.ts";

beforeAll(async () => {
  await createPlatform("acme");
});

const SEALED = "SELECT value FROM meta WHERE key = 'sealed'";

it("sums the sealed hours and the recent ones as every hourly row sums", async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 80 * 24 * 60 }), fc.integer({ min: 1, max: 9 })), {
          minLength: 1,
          maxLength: 6,
        }),
        { minLength: 1, maxLength: 5 },
      ),
      async (batches) => {
        const seller = `sealed-${run++}`;
        const ledger = env.LEDGER.getByName(`acme:${seller}`);
        const from = Date.now() - 80 * DAY_MS;
        const { placed, visits } = eventsAt(from);
        for (const [b, batch] of batches.entries()) {
          const events = batch.flatMap(([minute, n], i) => [
            visits(seller, minute, n, `${b}-${i}`),
            placed(seller, `o-${b}-${i}`, minute, {
              items: [{ product_id: "p", category: "c", quantity: n, unit_price: 100 }],
            }),
          ]);
          await ledger.apply("acme", seller, "USD", events.map(parse));
        }
        const sealedFrom = Math.floor(Date.now() / DAY_MS) * DAY_MS - 29 * DAY_MS;
        const old = batches.flat().some(([minute]) => from + (minute + 1) * 60_000 <= sealedFrom - 60 * 60_000);
        await runInDurableObject(ledger, (_instance, state) => {
          const sql = state.storage.sql;
          const now = Date.now();
          const sealed = summaryOf(sql, seller, "USD", now);
          expect(sql.exec(SEALED).toArray().length).toBe(old ? 1 : 0);
          sql.exec("DELETE FROM meta WHERE key = 'sealed'");
          expect(sealed).toEqual(summaryOf(sql, seller, "USD", now));
        });
      },
    ),
    { numRuns: 15 },
  );
});
