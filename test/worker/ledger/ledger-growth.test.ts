// Growth: reading a seller nobody has written for (anyone with a key can name any seller) stores
// nothing; the ledger's tables are made by its first write.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { visits } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

let key: string;
beforeAll(async () => {
  key = await createPlatform("gr");
});

/** The tables a ledger has stored (the runtime's own aside). */
function tablesOf(seller: string): Promise<string[]> {
  return runInDurableObject(env.LEDGER.getByName(`gr:${seller}`), (_, state) =>
    state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'")
      .toArray()
      .map((r) => r.name),
  );
}

describe("a ledger is made by its first write", () => {
  it("answers every read of an unknown seller as empty, and stores nothing", async () => {
    const reads = [
      "summary",
      "summary?compare=previous",
      "timeseries?metric=gmv&granularity=day",
      "breakdown?by=category",
      "products",
      "alerts",
      "benchmarks?metric=gmv",
    ];
    for (const read of reads) {
      const res = await api(`/v1/sellers/nobody/${read}`, { token: key });
      expect(res.status, read).toBe(200);
    }
    const summary = (await (await api("/v1/sellers/nobody/summary", { token: key })).json()) as any;
    expect(summary.periods.all.orders).toBe(0);
    expect(summary.updated_at).toBeNull();
    expect((await api("/v1/ops/sellers/nobody/ignored-events", { token: key })).status).toBe(200);
    expect(await tablesOf("nobody")).toEqual([]);
  });

  it("makes the tables with the first event, which then counts", async () => {
    expect(await tablesOf("writer")).toEqual([]);
    const res = await api("/v1/events", { method: "POST", token: key, json: [visits("writer", 0, 4)] });
    expect(res.status).toBe(202);
    await eventually(async () => {
      const summary = (await (await api("/v1/sellers/writer/summary", { token: key })).json()) as any;
      expect(summary.periods.all.visits).toBe(4);
    });
    expect(await tablesOf("writer")).toEqual(expect.arrayContaining(["meta", "seen", "products"]));
  });
});
