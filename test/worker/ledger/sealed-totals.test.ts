// The sums of hours before a ledger's trailing 30 days, sealed in one row: after any batches
// (late ones into sealed hours included) the summary equals the one summed from every hourly row.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { summaryOf } from "../../../src/ledger/reads.ts";
import { DAY_MS } from "../../../src/metrics/counters.ts";
import { minuteBatches, visitsAndOrders } from "../arbitraries.ts";
import { createPlatform } from "../helpers.ts";

beforeAll(async () => {
  await createPlatform("acme");
});

const SEALED = "SELECT value FROM meta WHERE key = 'sealed'";

it("sums the sealed hours and the recent ones as every hourly row sums", async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(minuteBatches(80), async (batches) => {
      const seller = `sealed-${run++}`;
      const ledger = env.LEDGER.getByName(`acme:${seller}`);
      const from = Date.now() - 80 * DAY_MS;
      for (const [b, batch] of batches.entries()) {
        await ledger.apply("acme", seller, "USD", visitsAndOrders(seller, from, batch, b));
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
    }),
    { numRuns: 15 },
  );
});
