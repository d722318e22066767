// The ledger with batches larger than SQLite takes in one bound string (2 MB).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parse, placed } from "../../support/builders.ts";

describe("a batch of several megabytes for one seller", () => {
  it("is applied whole, and its copy is recognised whole", async () => {
    const items = ["shoes", "hats", "bags", "socks"].map((category, i) => ({
      product_id: `p-${category}`,
      category,
      quantity: 1 + i,
      unit_price: 1000 + i,
    }));
    const events = Array.from({ length: 8_000 }, (_, i) => parse(placed("big", `order-${i}`, i % 600, { items })));
    expect(JSON.stringify(events).length).toBeGreaterThan(3_000_000);
    const ledger = env.LEDGER.getByName("acme:big");
    expect(await ledger.apply("acme", "big", "USD", events)).toEqual({ applied: 8_000, duplicates: 0 });
    expect(await ledger.apply("acme", "big", "USD", events)).toEqual({ applied: 0, duplicates: 8_000 });
    const all = (await ledger.summary("big", "USD")).periods.all;
    expect(all.orders).toBe(8_000);
    expect(all.gmv).toBe(8_000 * (1000 + 2 * 1001 + 3 * 1002 + 4 * 1003));
  });
});
