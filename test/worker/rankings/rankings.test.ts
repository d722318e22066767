// The hourly rankings: the job over D1 rollups, the lists it publishes to KV, the public read
// (KV and cache only), and a seller's own products with their ranks.
import { createExecutionContext, createScheduledController, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../../src/index.ts";
import { HOUR_MS } from "../../../src/metrics/counters.ts";
import { rankingRun, rankPlatform } from "../../../src/rankings/ranking-job.ts";
import { lastRuns } from "../../../src/rankings/seller-ranks.ts";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually, onDocument } from "../helpers.ts";

/** The run's hour: every window ends at its start. */
const R = Math.floor(Date.parse("2026-11-20T12:00:00Z") / HOUR_MS);
/** Until when the lists stand: the job derives it from its run; here, two hours from the start. */
const EXPIRES = Date.now() + 2 * HOUR_MS;

let acme: string;
beforeAll(async () => {
  acme = await createPlatform("acme");
  await createPlatform("quiet");
});

/** Runs the job for a platform at an hour and waits until every batch of it is done. */
async function rank(platform: string, runHour = R): Promise<void> {
  await rankPlatform(env, { job: "rankings.platform", platform, runHour, expiresAt: EXPIRES });
  await eventually(async () => expect((await lastRuns(env.DB, platform)).map((r) => r.runHour)).toContain(runHour));
}

/** Rollup rows as the ledgers flush them: [seller, product, hours before R, units, revenue]. */
async function rollups(platform: string, category: string, rows: [string, string, number, number, number][]) {
  const statements = rows.map(([seller, product, before, units, revenue]) =>
    env.DB.prepare(
      `INSERT INTO product_hourly (platform_id, seller_id, product_id, hour, category, units, revenue)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).bind(platform, seller, product, R - before, category, units, revenue),
  );
  const lastHour = Math.max(...rows.map(([, , before]) => R - before));
  statements.push(
    env.DB.prepare(
      `INSERT INTO categories (platform_id, category, last_hour) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET last_hour = MAX(last_hour, excluded.last_hour)`,
    ).bind(platform, category, lastHour),
  );
  await env.DB.batch(statements);
}

const topOf = async (platform: string, category: string, query = "") => {
  const res = await api(`/v1/platforms/${platform}/categories/${encodeURIComponent(category)}/top-products${query}`);
  return { res, body: res.status === 200 ? ((await res.json()) as any) : null };
};
const ids = (body: any) => body.products.map((p: any) => p.product_id);

describe("the rankings job", () => {
  beforeAll(async () => {
    await rollups("acme", "shoes", [
      // [seller, product, hours before R, units, revenue]
      ["s-1", "p-a", 1, 5, 500], // the last complete hour
      ["s-2", "p-b", 1, 3, 900],
      ["s-2", "p-b", 24, 10, 1000], // the 24h window's first hour: in
      ["s-1", "p-c", 25, 4, 4000], // just before it: 7d only
      ["s-3", "p-d", 168, 2, 50], // the 7d window's first hour: in
      ["s-3", "p-e", 169, 100, 100], // just before it: out
      ["s-3", "p-f", 0, 50, 50], // the hour of the run itself: not complete, out
      ["s-1", "p-h", 1, 3, 300], // ties with p-b on units in 1h: the lower id first
      ["s-2", "p-h", 2, 1, 100],
    ]);
    await rank("acme");
  });

  it("ranks each window by units and by revenue as computed by hand, ties to the lower product id", async () => {
    const lists: Record<string, string[]> = {};
    for (const window of ["1h", "24h", "7d"]) {
      for (const by of ["units", "revenue"]) {
        lists[`${window} ${by}`] = ids((await topOf("acme", "shoes", `?window=${window}&by=${by}`)).body);
      }
    }
    expect(lists).toEqual({
      "1h units": ["p-a", "p-b", "p-h"], // 5, 3, 3 (p-b before p-h)
      "1h revenue": ["p-b", "p-a", "p-h"], // 900, 500, 300
      "24h units": ["p-b", "p-a", "p-h"], // 13, 5, 4
      "24h revenue": ["p-b", "p-a", "p-h"], // 1900, 500, 400
      "7d units": ["p-b", "p-a", "p-c", "p-h", "p-d"], // 13, 5, 4, 4 (p-c before p-h), 2
      "7d revenue": ["p-c", "p-b", "p-a", "p-h", "p-d"], // 4000, 1900, 500, 400, 50
    });
  });

  it("says which whole hours it counted and when it ran", async () => {
    const { body } = await topOf("acme", "shoes", "?window=24h");
    expect(body).toMatchObject({
      platform: "acme",
      category: "shoes",
      window: "24h",
      by: "units",
      generated_at: new Date(R * HOUR_MS).toISOString(),
      hours: { from: new Date((R - 24) * HOUR_MS).toISOString(), to: new Date(R * HOUR_MS).toISOString() },
    });
  });

  it("keeps every list in D1 with its figures, for history and previous ranks", async () => {
    const { results } = await env.DB.prepare(
      `SELECT rank, product_id, units, revenue FROM rankings
       WHERE platform_id = 'acme' AND run_hour = ? AND category = 'shoes' AND "window" = '7d' AND "by" = 'units' ORDER BY rank`,
    )
      .bind(R)
      .all();
    expect(results).toEqual([
      { rank: 1, product_id: "p-b", units: 13, revenue: 1900 },
      { rank: 2, product_id: "p-a", units: 5, revenue: 500 },
      { rank: 3, product_id: "p-c", units: 4, revenue: 4000 },
      { rank: 4, product_id: "p-h", units: 4, revenue: 400 },
      { rank: 5, product_id: "p-d", units: 2, revenue: 50 },
    ]);
  });

  it("writes the same rows and the same lists when it runs again in the same hour", async () => {
    const snapshot = async () => ({
      rows: (await env.DB.prepare("SELECT * FROM rankings WHERE platform_id = 'acme' ORDER BY 1, 2, 3, 4, 5, 6").all())
        .results,
      kv: await Promise.all(
        (await env.KV.list({ prefix: "top:acme:" })).keys.map(async (k) => [k.name, await env.KV.get(k.name)]),
      ),
    });
    const before = await snapshot();
    await rank("acme");
    expect(await snapshot()).toEqual(before);
  });

  it("names products only: no seller, no units, no revenue", async () => {
    const { body } = await topOf("acme", "shoes", "?window=7d&limit=100");
    expect(Object.keys(body).sort()).toEqual([
      "by",
      "category",
      "generated_at",
      "hours",
      "platform",
      "products",
      "window",
    ]);
    for (const product of body.products) expect(Object.keys(product).sort()).toEqual(["product_id", "rank"]);
    expect(JSON.stringify(body)).not.toMatch(/s-[123]/);
  });
});

describe("the public read", () => {
  it("answers an unknown platform or category with an empty list", async () => {
    for (const [platform, category] of [
      ["nowhere", "shoes"],
      ["acme", "no such category"],
      ["quiet", "shoes"],
    ]) {
      const { res, body } = await topOf(platform!, category!);
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ platform, category, window: "24h", by: "units", products: [] });
    }
  });

  it("refuses a bad window, by or limit with the error envelope", async () => {
    for (const query of ["?window=2h", "?by=price", "?limit=0", "?limit=101", "?limit=ten"]) {
      const { res } = await topOf("acme", "shoes", query);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as any).error.code).toBe("invalid_request");
    }
  });

  it("cuts the list to the limit and may be cached until the next run, with an ETag and 304", async () => {
    const { res, body } = await topOf("acme", "shoes", "?window=7d&limit=2");
    expect(ids(body)).toEqual(["p-b", "p-a"]);
    const maxAge = Number(/^public, max-age=(\d+)$/.exec(res.headers.get("Cache-Control") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(HOUR_MS / 1000);
    expect(maxAge).toBeLessThanOrEqual((EXPIRES - Date.now()) / 1000 + 1);
    const etag = res.headers.get("ETag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect((await topOf("acme", "shoes", "?window=7d&limit=3")).res.headers.get("ETag")).not.toBe(etag);
    const again = await api("/v1/platforms/acme/categories/shoes/top-products?limit=2&window=7d", {
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("ETag")).toBe(etag);
  });

  it("reads KV only: with D1 and the ledgers failing, it still answers", async () => {
    const failing = new Proxy({}, { get: () => () => Promise.reject(new Error("down")) });
    const broken = { ...env, DB: failing as D1Database, LEDGER: failing as typeof env.LEDGER };
    const url = "https://sellerpulse.test/v1/platforms/acme/categories/shoes/top-products?window=1h&limit=5";
    const request = new Request<unknown, IncomingRequestCfProperties>(url);
    const res = await onDocument(request, await worker.fetch(request, broken, createExecutionContext()));
    expect(res.status).toBe(200);
    expect(ids(await res.json())).toEqual(["p-a", "p-b", "p-h"]);
    // Answered once, the same list is answered again without even KV (from memory or the cache).
    const noKv = { ...broken, KV: failing as KVNamespace };
    const repeated = new Request<unknown, IncomingRequestCfProperties>(url);
    const again = await onDocument(repeated, await worker.fetch(repeated, noKv, createExecutionContext()));
    expect(again.status).toBe(200);
    expect(ids(await again.json())).toEqual(["p-a", "p-b", "p-h"]);
  });
});

describe("rankings from events", () => {
  // Orders placed in hours before R, through ingest, the ledger and its flush.
  const { placed, cancelled } = eventsAt((R - 3) * HOUR_MS);
  const sold = (seller: string, order: string, product: string, quantity: number, minutes = 10) =>
    placed(seller, order, minutes, { items: [{ product_id: product, category: "hats", quantity, unit_price: 1000 }] });
  const flush = async (...sellers: string[]) => {
    for (const seller of sellers) {
      const ledger = env.LEDGER.getByName(`acme:${seller}`);
      await eventually(async () => expect((await ledger.flush()) >= 0).toBe(true));
      await runDurableObjectAlarm(ledger);
    }
  };
  const post = async (events: unknown[]) => {
    expect((await api("/v1/events", { method: "POST", token: acme, json: events })).status).toBe(202);
  };

  it("counts a late event and drops a cancelled order at the next run", async () => {
    await post([sold("h-1", "o-1", "cap", 5), sold("h-2", "o-2", "beret", 3)]);
    await eventually(async () => {
      const { results } = await env.DB.prepare("SELECT 1 FROM product_hourly WHERE category = 'hats'").all();
      await flush("h-1", "h-2");
      expect(results.length).toBe(2);
    });
    await rank("acme", R);
    expect(ids((await topOf("acme", "hats")).body)).toEqual(["cap", "beret"]);

    // After the run: the cap's order is cancelled, and an order of the hour before arrives late.
    await post([cancelled("h-1", "o-1", 20, "buyer"), sold("h-3", "o-3", "fedora", 1, -50)]);
    await eventually(async () => {
      await flush("h-1", "h-3");
      const { results } = await env.DB.prepare(
        "SELECT product_id, units FROM product_hourly WHERE category = 'hats' AND units > 0 ORDER BY product_id",
      ).all();
      expect(results).toEqual([
        { product_id: "beret", units: 3 },
        { product_id: "fedora", units: 1 },
      ]);
    });
    await rank("acme", R + 1);
    expect(ids((await topOf("acme", "hats", "?window=7d")).body)).toEqual(["beret", "fedora"]);
  });

  it("shows a seller its own products with their ranks, never another seller's figures", async () => {
    await post([sold("t-1", "o-t1", "scarf", 4), sold("t-2", "o-t2", "scarf", 6), sold("t-2", "o-t3", "glove", 1)]);
    await eventually(async () => {
      await flush("t-1", "t-2");
      const { results } = await env.DB.prepare("SELECT 1 FROM product_hourly WHERE seller_id IN ('t-1', 't-2')").all();
      expect(results.length).toBe(3);
    });
    await rank("acme", R + 2);
    const res = await api("/v1/sellers/t-1/products?window=24h", { token: acme });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.window).toBe("24h");
    expect(body.generated_at).toBe(new Date((R + 2) * HOUR_MS).toISOString());
    // The scarf sold 10 in all and leads its category, but t-1 sees its own 4 units only.
    expect(body.products).toEqual([
      { product_id: "scarf", category: "hats", units: 4, revenue: 4000, rank: 1, previous_rank: null },
    ]);
  });

  it("records, per seller, the products entering or leaving a category's 24h top 10", async () => {
    const { results } = await env.DB.prepare(
      "SELECT seller_id, product_id, change, rank, previous_rank FROM rank_changes WHERE run_hour = ? ORDER BY seller_id, product_id",
    )
      .bind(R + 2)
      .all();
    expect(results).toEqual([
      { seller_id: "t-1", product_id: "scarf", change: "entered_top10", rank: 1, previous_rank: null },
      { seller_id: "t-2", product_id: "glove", change: "entered_top10", rank: 4, previous_rank: null },
      { seller_id: "t-2", product_id: "scarf", change: "entered_top10", rank: 1, previous_rank: null },
    ]);
    // Each becomes an informational alert of its seller (raised and resolved at once).
    const res = await api("/v1/sellers/t-2/alerts?status=all", { token: acme });
    const ranked = ((await res.json()) as any).alerts.filter((a: any) => a.type === "rank.entered_top10");
    expect(ranked.map((a: any) => [a.status, a.details.product_id, a.details.rank]).sort()).toEqual([
      ["resolved", "glove", 4],
      ["resolved", "scarf", 1],
    ]);
  });
});

describe("the cron", () => {
  it("ranks every platform at the hour it fires, with lists that stand until the next firing", async () => {
    const scheduledTime = (R + 5) * HOUR_MS + 5 * 60_000;
    expect(rankingRun(scheduledTime, "5 * * * *")).toEqual({
      runHour: R + 5,
      expiresAt: (R + 6) * HOUR_MS + 10 * 60_000,
    });
    await worker.scheduled(createScheduledController({ scheduledTime, cron: "5 * * * *" }), env);
    await eventually(async () => {
      for (const platform of ["acme", "quiet"]) {
        expect((await lastRuns(env.DB, platform)).map((r) => r.runHour)).toContain(R + 5);
      }
    });
  });
});
