// The flush reads the rows the ledger changed since its last flush by key, never whole tables, and
// rewrites none of them to mark them clean (rows counted from the SQL cursors). Nothing is lost: after
// any interleaving of batches, flushes that fail (before or after D1 commits) and wake-ups that lose
// the instance's keys, D1 holds what a flush of every row would write.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import type { SellerEvent } from "../../../src/events/schema.ts";
import { trackDirty } from "../../../src/ledger/dirty-keys.ts";
import { flushLedger } from "../../../src/ledger/flush.ts";
import { healthOf } from "../../../src/ledger/reads.ts";
import type { SellerLedger } from "../../../src/ledger/seller-ledger.ts";
import { COUNTER_FIELDS, DAY_MS } from "../../../src/metrics/counters.ts";
import { eventsAt, parse } from "../../support/builders.ts";
import { arrivals } from "../arbitraries.ts";
import { createPlatform } from "../helpers.ts";
import { cursorsDuring } from "./sql-cursors.ts";

beforeAll(async () => {
  await createPlatform("acme");
});

type Instance = { sql: SqlStorage; apply: SellerLedger["apply"]; replay: SellerLedger["replay"] };

/** Runs `run` inside the object and returns the rows read and written by every SQL cursor meanwhile. */
async function counted(ledger: DurableObjectStub<SellerLedger>, run: (instance: Instance) => Promise<unknown>) {
  return runInDurableObject(ledger, async (object) => {
    const instance = object as unknown as Instance;
    const cursors = await cursorsDuring(instance.sql, () => run(instance));
    const sum = (f: (c: SqlStorageCursor<Record<string, SqlStorageValue>>) => number) =>
      cursors.reduce((s, c) => s + f(c), 0);
    return { read: sum((c) => c.rowsRead), written: sum((c) => c.rowsWritten) };
  });
}

const FIELDS = COUNTER_FIELDS.join(", ");
const flushOf = (instance: Instance, db: D1Database = env.DB) => flushLedger(instance.sql, db, false, 100);

it("reads the changed rows by key and writes only meta's flushed stamp", async () => {
  const seller = "by-key";
  const ledger = env.LEDGER.getByName(`acme:${seller}`);
  // 200 products over 8 days: whole-table scans would read every one of them.
  const { placed } = eventsAt(Date.now() - 8 * DAY_MS);
  const history = Array.from({ length: 200 }, (_, i) =>
    parse(
      placed(seller, `old-${i}`, i * 50, {
        items: [{ product_id: `p-${i}`, category: "c", quantity: 1, unit_price: 100 }],
      }),
    ),
  );
  await counted(ledger, async (instance) => {
    await instance.apply("acme", seller, "USD", history);
    await flushOf(instance);
  });
  const recent = eventsAt(Date.now() - 60 * 60_000);
  const order = parse(
    recent.placed(seller, "new", 0, { items: [{ product_id: "p-new", category: "c", quantity: 1, unit_price: 5 }] }),
  );
  await counted(ledger, (instance) => instance.apply("acme", seller, "USD", [order]));
  const flush = await counted(ledger, async (instance) => expect(await flushOf(instance)).toBe(2)); // hourly + product
  expect(flush.written).toBe(1); // meta's flushed stamp: no row rewritten to clean it
  // Beside the health row's reads (the summary of 30 days of hours and the open orders): meta's dozen
  // rows and the 2 changed ones, of 200 product rows and as many hours.
  const health = await counted(ledger, async (instance) => healthOf(instance.sql, seller, Date.now()));
  expect(flush.read - health.read).toBeLessThan(25);
});

/** What D1 holds of a seller, and what a flush of every ledger row would write, in the same shape. */
async function d1AndLedger(ledger: DurableObjectStub<SellerLedger>, seller: string) {
  const d1 = async (query: string) =>
    (await env.DB.prepare(query).bind("acme", seller).all<Record<string, unknown>>()).results;
  const stored = {
    hourly: await d1(`SELECT hour, ${FIELDS} FROM seller_hourly WHERE platform_id = ? AND seller_id = ? ORDER BY hour`),
    products: await d1(
      "SELECT product_id, hour, units, revenue, orders FROM product_hourly WHERE platform_id = ? AND seller_id = ? ORDER BY product_id, hour",
    ),
    shipping: await d1(
      "SELECT hour, ship_hours, orders FROM ship_hourly WHERE platform_id = ? AND seller_id = ? ORDER BY hour, ship_hours",
    ),
  };
  const kept = await runInDurableObject(ledger, (_object, state) => {
    const all = (query: string) => state.storage.sql.exec(query).toArray();
    return {
      hourly: all(`SELECT hour, ${FIELDS} FROM hourly ORDER BY hour`),
      products: all("SELECT product_id, hour, units, revenue, orders FROM products ORDER BY product_id, hour"),
      shipping: all("SELECT hour, ship_hours, orders FROM shipping ORDER BY hour, ship_hours"),
    };
  });
  return { stored, kept };
}

/** D1 failing before its transaction, or after it committed (the answer lost). */
const failing = (committed: boolean) =>
  new Proxy(env.DB, {
    get(target, name) {
      if (name !== "batch") return Reflect.get(target, name).bind(target);
      return async (statements: D1PreparedStatement[]) => {
        if (committed) await target.batch(statements);
        throw new Error("D1_ERROR: Network connection lost.");
      };
    },
  });

const step = fc.oneof(
  fc.constant({ kind: "flush" as const }),
  fc.constant({ kind: "flush-fails" as const, committed: false }),
  fc.constant({ kind: "flush-fails" as const, committed: true }),
  fc.constant({ kind: "wake-up" as const }),
);

it("leaves D1 as a flush of every row would, whatever fails and wakes in between", async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      arrivals,
      fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), step), { minLength: 1, maxLength: 12 }),
      async ({ shuffled }, steps) => {
        const seller = `any-order-${run++}`;
        const ledger = env.LEDGER.getByName(`acme:${seller}`);
        const events: SellerEvent[] = shuffled.map((e) => ({ ...e, seller_id: seller }));
        await runInDurableObject(ledger, async (object) => {
          const instance = object as unknown as Instance;
          let next = 0;
          for (const [size, action] of steps) {
            await instance.replay("acme", seller, "USD", events.slice(next, next + size));
            next += size;
            if (action.kind === "flush") await flushOf(instance);
            // Fails, unless it had nothing to write (D1 never asked).
            if (action.kind === "flush-fails") await flushOf(instance, failing(action.committed)).catch(() => -1);
            if (action.kind === "wake-up") trackDirty(instance.sql, false); // this instance's keys are lost
          }
          await instance.replay("acme", seller, "USD", events.slice(next));
          await flushOf(instance);
        });
        const { stored, kept } = await d1AndLedger(ledger, seller);
        expect(stored).toEqual(kept);
      },
    ),
    { numRuns: 20 },
  );
});
