// D1 bills each row a flush writes and each index entry an UPDATE rewrites: a product-hour whose
// figures change is written without its category index, and rows flushed again unchanged (a flush
// whose answer was lost after D1 committed) write nothing. Rows from each D1 result's meta.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import type { SellerEvent } from "../../../src/events/schema.ts";
import { flushLedger } from "../../../src/ledger/flush.ts";
import type { SellerLedger } from "../../../src/ledger/seller-ledger.ts";
import { eventsAt, parse } from "../../support/builders.ts";
import { createPlatform } from "../helpers.ts";

beforeAll(async () => {
  await createPlatform("acme");
});

type Written = Record<"seller_hourly" | "product_hourly", number>;

/** A D1 that counts the rows each flush statement on the hourly tables wrote; `lost`: it commits, then fails. */
function counting(lost = false) {
  const written: Written = { seller_hourly: 0, product_hourly: 0 };
  const db = new Proxy(env.DB, {
    get(target, name) {
      if (name !== "batch") return Reflect.get(target, name).bind(target);
      return async (statements: D1PreparedStatement[]) => {
        const results = await target.batch(statements);
        for (const [i, result] of results.entries()) {
          const text = (statements[i] as unknown as { statement: string }).statement;
          const table = /^INSERT INTO "(seller_hourly|product_hourly)"/.exec(text)?.[1] as keyof Written | undefined;
          if (table) written[table] += result.meta.rows_written;
        }
        if (lost) throw new Error("D1_ERROR: Network connection lost.");
        return results;
      };
    },
  });
  return { db, written };
}

/** Applies `events` (if any) in the object, then flushes through `d1`. */
const applyAndFlush = (
  ledger: DurableObjectStub<SellerLedger>,
  seller: string,
  events: SellerEvent[],
  d1: ReturnType<typeof counting>,
) =>
  runInDurableObject(ledger, async (object) => {
    const instance = object as unknown as { sql: SqlStorage; apply: SellerLedger["apply"] };
    if (events.length > 0) await instance.apply("acme", seller, "USD", events);
    await flushLedger(instance.sql, d1.db, false, 100).catch(() => 0);
    return d1.written;
  });

it("writes a changed product-hour without its category index, and unchanged rows not at all", async () => {
  const seller = "d1-writes";
  const ledger = env.LEDGER.getByName(`acme:${seller}`);
  const { placed, cancelled } = eventsAt(Date.now() - 2 * 60 * 60_000);
  const items = [{ product_id: "p", category: "toys", quantity: 1, unit_price: 500 }];
  await applyAndFlush(ledger, seller, [parse(placed(seller, "o-1", 0, { items }))], counting());
  await applyAndFlush(ledger, seller, [parse(placed(seller, "o-2", 1, { items }))], counting());
  // Cancelled in the same hour: the seller-hour and product-hour rows change, each written alone.
  const cancel = await applyAndFlush(ledger, seller, [parse(cancelled(seller, "o-2", 2, "buyer"))], counting(true));
  expect(cancel).toEqual({ seller_hourly: 1, product_hourly: 1 });
  // Its answer was lost after D1 committed: the next flush sends the same rows, and D1 writes none.
  expect(await applyAndFlush(ledger, seller, [], counting())).toEqual({ seller_hourly: 0, product_hourly: 0 });
});
