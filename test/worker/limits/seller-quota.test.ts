// A quota of sellers per platform: a request's events for sellers past it are rejected (with
// the reason) while its other events are accepted; known sellers always pass; imports obey it
// too; another platform has its own.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { setSellerQuotaSql } from "../../../src/db/admin-sql.ts";
import { validateEvents } from "../../../src/events/validate.ts";
import { withinSellerQuota } from "../../../src/limits/seller-quota.ts";
import { visits } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

let key: string;
let other: string;
beforeAll(async () => {
  key = await createPlatform("quota");
  other = await createPlatform("quota-b");
  await env.DB.prepare(setSellerQuotaSql("quota", 3)).run();
});

const post = (token: string, events: unknown[]) => api("/v1/events", { method: "POST", token, json: events });

describe("the seller quota", () => {
  it("admits new sellers while under it, then refuses new ones and keeps the known ones", async () => {
    const first = await post(key, [visits("q-1", 0, 1), visits("q-2", 0, 1), visits("q-3", 0, 1)]);
    expect(await first.json()).toEqual({ accepted: 3, rejected: [] });
    const second = await post(key, [visits("q-4", 1, 1), visits("q-1", 1, 2), visits("q-5", 1, 1)]);
    expect(second.status).toBe(202);
    const body = (await second.json()) as { accepted: number; rejected: { index: number; errors: string[] }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([0, 2]);
    expect(body.rejected[0]!.errors).toEqual([
      "seller_id: this platform has reached its quota of 3 sellers; its operator can raise it",
    ]);
    // Only refused sellers: nothing valid, 400.
    expect((await post(key, [visits("q-6", 2, 1)])).status).toBe(400);
    await eventually(async () => {
      const summary = (await (await api("/v1/sellers/q-1/summary", { token: key })).json()) as any;
      expect(summary.periods.all.visits).toBe(3);
    });
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM platform_sellers WHERE platform_id = 'quota'").first();
    expect(rows).toEqual({ n: 3 });
    // Another platform's quota is its own.
    expect((await post(other, [visits("q-4", 0, 1)])).status).toBe(202);
  });

  it("holds for imports: a row of a seller past the quota is rejected with its line", async () => {
    const file = [visits("q-2", 3, 1), visits("q-9", 3, 1)].map((e) => JSON.stringify(e)).join("\n");
    const res = await api("/v1/imports", {
      method: "POST",
      token: key,
      body: `${file}\n`,
      headers: { "Content-Type": "application/x-ndjson" },
    });
    expect(res.status).toBe(202);
    const { import_id } = (await res.json()) as { import_id: string };
    const done = await eventually(async () => {
      const view = (await (await api(`/v1/imports/${import_id}`, { token: key })).json()) as any;
      expect(view.state).toBe("done");
      return view;
    });
    expect(done.rows_rejected).toBe(1);
    expect(done.rejected).toEqual([{ line: 2, errors: [expect.stringContaining("quota of 3 sellers")] }]);
  });

  it("lets the operator raise it", async () => {
    await env.DB.prepare(setSellerQuotaSql("quota", 10)).run();
    expect(await (await post(key, [visits("q-7", 4, 1)])).json()).toEqual({ accepted: 1, rejected: [] });
  });
});

/** The real D1, with the rows each result says it read added up. */
function countingRows(db: D1Database): { db: D1Database; rowsRead: () => number } {
  let rows = 0;
  const add = (result: D1Result) => {
    rows += result.meta.rows_read;
    return result;
  };
  const counted = new Proxy(db, {
    get(target, name) {
      if (name === "batch") {
        return async (statements: D1PreparedStatement[]) => (await target.batch(statements)).map(add);
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: counted, rowsRead: () => rows };
}

describe("the seller quota at scale", () => {
  it("asks D1 about a known seller for a few rows, not for every seller of the platform", async () => {
    await createPlatform("many");
    // 10,000 admitted sellers (the platform made before this isolate knew any of them).
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
       INSERT INTO platform_sellers (platform_id, seller_id, created_at) SELECT 'many', 's-' || i, '2026-12-01' FROM n`,
    ).run();
    const counting = countingRows(env.DB);
    const judged = validateEvents([visits("s-5000", 0, 1)], "USD", Date.now());
    const within = await withinSellerQuota(counting.db, "many", judged);
    expect(within.valid).toHaveLength(1);
    expect(counting.rowsRead()).toBeLessThan(10);
    // A new seller still counts against the quota by the stored number.
    const fresh = countingRows(env.DB);
    expect(
      (await withinSellerQuota(fresh.db, "many", validateEvents([visits("s-new", 0, 1)], "USD", Date.now()))).valid,
    ).toHaveLength(1);
    expect(fresh.rowsRead()).toBeLessThan(10);
    const count = await env.DB.prepare("SELECT seller_count FROM platforms WHERE id = 'many'").first("seller_count");
    expect(count).toBe(10_001);
  });
});
