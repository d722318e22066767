// Cohort benchmarks end to end: the release job over D1 rollups, what a seller reads (released
// bands and its own exact figures), suppression, the privacy budget, and the operator's view.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { METRICS } from "../../../src/benchmarks/privacy/bins.ts";
import { releaseBenchmarks } from "../../../src/benchmarks/release-job.ts";
import { COUNTER_FIELDS, HOUR_MS } from "../../../src/metrics/counters.ts";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const DAY = "2026-11-30";
/** The period's hours: the 28 whole days before DAY. */
const TO_HOUR = Date.parse(`${DAY}T00:00:00Z`) / HOUR_MS;
const FROM_HOUR = TO_HOUR - 28 * 24;

const keys: Record<string, string> = {};
beforeAll(async () => {
  for (const platform of ["acme", "tiny", "capped"]) keys[platform] = await createPlatform(platform);
});

interface Synthetic {
  category: string;
  region: string;
  /** Minor units over the period: $1,000 to $10,000 is the "small" band. */
  gmv: number;
  orders: number;
  shipHours: number;
}

/** A seller's rollups as its ledger would have flushed them: one hour of the period. */
async function synthetic(platform: string, sellerId: string, s: Synthetic, hourOffset = 100): Promise<void> {
  const hour = FROM_HOUR + hourOffset;
  const counters: Record<string, number> = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, 0]));
  Object.assign(counters, {
    gmv: s.gmv,
    orders: s.orders,
    accepted: s.orders,
    shipped: s.orders,
    shipped_on_time: s.orders - 1,
    ratings: 2,
    rating_sum: 9,
    visits: s.orders * 20,
  });
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO seller_hourly (platform_id, seller_id, hour, ${COUNTER_FIELDS.join(", ")})
       VALUES (?, ?, ?, ${COUNTER_FIELDS.map(() => "?").join(", ")})`,
    ).bind(platform, sellerId, hour, ...COUNTER_FIELDS.map((f) => counters[f])),
    env.DB.prepare(
      "INSERT INTO product_hourly (platform_id, seller_id, product_id, hour, category, units, revenue) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).bind(platform, sellerId, `p-${sellerId}`, hour, s.category, s.orders, s.gmv),
    env.DB.prepare(
      "INSERT INTO ship_hourly (platform_id, seller_id, hour, ship_hours, orders) VALUES (?, ?, ?, ?, ?)",
    ).bind(platform, sellerId, hour, s.shipHours, s.orders),
    env.DB.prepare("INSERT INTO sellers (platform_id, seller_id, updated_at, region) VALUES (?, ?, NULL, ?)").bind(
      platform,
      sellerId,
      s.region,
    ),
  ]);
}

const release = (platform: string, day = DAY) => releaseBenchmarks(env, { job: "benchmarks.platform", platform, day });
const read = async (platform: string, seller: string, token = keys[platform]!) => {
  const res = await api(`/v1/sellers/${seller}/benchmarks`, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as any;
};

describe("a release", () => {
  // 80 shoe sellers in the EU and 40 + 40 toy sellers in two regions, all "small": the shoes
  // are released as category+region+size; the toys, too few in each region, as category+size.
  const { placed, step } = eventsAt((FROM_HOUR + 200) * HOUR_MS);
  beforeAll(async () => {
    for (let i = 1; i < 80; i++) {
      await synthetic("acme", `shoe-${i}`, {
        category: "shoes",
        region: "eu",
        gmv: 150_000 + i * 5_000,
        orders: 10 + (i % 7),
        shipHours: 2 + (i % 30),
      });
    }
    for (let i = 0; i < 80; i++) {
      const region = i < 40 ? "us" : "apac";
      await synthetic("acme", `toy-${i}`, {
        category: "toys",
        region,
        gmv: 200_000 + i * 3_000,
        orders: 8 + (i % 5),
        shipHours: 5 + (i % 20),
      });
    }
    // shoe-0 is real: its events go through the pipeline to its ledger, and its flush to D1.
    const orders = Array.from({ length: 10 }, (_, i) => [
      placed("shoe-0", `o-${i}`, i * 60, {
        items: [{ product_id: "boot", category: "shoes", quantity: 1, unit_price: 20_000 }],
      }),
      step("order.shipped", "shoe-0", `o-${i}`, i * 60 + 180),
    ]).flat();
    const res = await api("/v1/events", { method: "POST", token: keys.acme!, json: orders });
    expect(res.status).toBe(202);
    const ledger = env.LEDGER.getByName("acme:shoe-0");
    await eventually(async () => expect((await ledger.summary("shoe-0", "USD")).periods.all.orders).toBe(10));
    expect(await ledger.flush()).toBeGreaterThan(0);
    await release("acme");
  });

  it("places a seller in its narrowest cohort of at least k (noised) and shows its own figures among the bands", async () => {
    const body = await read("acme", "shoe-0");
    expect(body.suppressed).toBeNull();
    expect(body.period).toEqual({ from: "2026-11-02", to: DAY });
    expect(body.cohort).toMatchObject({
      level: "category+region+size",
      category: "shoes",
      region: "eu",
      size_band: "small",
    });
    expect(Math.abs(body.cohort.sellers - 80)).toBeLessThan(25); // noised, ε 0.5: ±25 is 5e-6 likely
    expect(Number.isInteger(body.cohort.sellers)).toBe(true);
    expect(body.epsilon).toBe(0.5 + 9 * 0.5); // one count and nine metrics
    // Its own exact figures: 10 orders of $200, each shipped 3 hours after placement.
    expect(body.metrics.gmv.value).toBe(200_000);
    expect(body.metrics.orders.value).toBe(10);
    expect(body.metrics.aov.value).toBe(20_000);
    expect(body.metrics.ship_hours.value).toBe(3);
    expect(body.metrics.sla_compliance.value).toBe(1);
    expect(body.metrics.avg_rating).toMatchObject({ value: null, percentile: null }); // it has no ratings
    for (const metric of Object.keys(body.metrics)) {
      const m = body.metrics[metric];
      expect(METRICS).toContain(metric);
      expect(m.p25).toBeLessThanOrEqual(m.p50);
      expect(m.p50).toBeLessThanOrEqual(m.p75);
      if (m.value !== null) {
        expect(m.percentile).toBeGreaterThanOrEqual(0);
        expect(m.percentile).toBeLessThanOrEqual(100);
      }
    }
  });

  it("widens a cohort too small at its level, exactly one level at a time", async () => {
    const body = await read("acme", "toy-3");
    expect(body.cohort).toMatchObject({ level: "category+size", category: "toys", region: null, size_band: "small" });
    expect(body.epsilon).toBe(2 * 0.5 + 9 * 0.5); // counted at two levels, released once
  });

  it("is fixed once made: reading again and running the job again draw no new noise", async () => {
    const first = await read("acme", "toy-3");
    await release("acme"); // the same period: nothing new
    await release("acme", "2026-12-03"); // three days on: not due (weekly)
    expect(await read("acme", "toy-3")).toEqual(first);
    const runs = await env.DB.prepare("SELECT COUNT(*) AS n FROM benchmark_runs WHERE platform_id = 'acme'").first<{
      n: number;
    }>();
    expect(runs!.n).toBe(1);
  });

  it("accounts for what each seller's data spent, and shows the operator the releases and the budget", async () => {
    const spent = await env.DB.prepare(
      "SELECT seller_id, epsilon_micro FROM privacy_spend WHERE platform_id = 'acme' AND seller_id IN ('shoe-0', 'toy-3')",
    ).all();
    expect(spent.results).toEqual(
      expect.arrayContaining([
        { seller_id: "shoe-0", epsilon_micro: 5_000_000 },
        { seller_id: "toy-3", epsilon_micro: 5_500_000 },
      ]),
    );
    const operator = await api("/v1/sessions", { method: "POST", token: keys.acme!, json: { role: "operator" } });
    const { token } = (await operator.json()) as { token: string };
    const res = await api("/v1/ops/benchmarks", { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.releases.map((r: any) => r.cohort.level).sort()).toEqual(["category+region+size", "category+size"]);
    expect(body.releases[0]).toMatchObject({
      period: { from: "2026-11-02", to: DAY },
      mechanism: "discrete-laplace-histogram/v1",
    });
    expect(body.budget).toEqual({ cap: 350, spent: 5.5, period: new Date().toISOString().slice(0, 4) });
    expect(body.runs[0]).toMatchObject({ sellers: 160, excluded: 0, releases: 2 });
    // A seller's session may not see the operator's view.
    const seller = await api("/v1/sessions", { method: "POST", token: keys.acme!, json: { seller_id: "shoe-0" } });
    expect((await api("/v1/ops/benchmarks", { token: ((await seller.json()) as any).token })).status).toBe(403);
  });
});

describe("suppression and the budget", () => {
  it("releases nothing for cohorts below k at every level, and says why", async () => {
    for (let i = 0; i < 10; i++) {
      await synthetic("tiny", `t-${i}`, { category: "books", region: "eu", gmv: 300_000, orders: 12, shipHours: 4 });
    }
    await release("tiny");
    const body = await read("tiny", "t-1");
    expect(body.cohort).toBeNull();
    expect(body.metrics).toEqual({});
    expect(body.suppressed.reason).toMatch(/at least 50 sellers \(noised count\)/);
    expect(body.epsilon).toBe(4 * 0.5); // its data entered a count at each of the four levels
    const released = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM benchmark_releases WHERE platform_id = 'tiny'",
    ).first<{ n: number }>();
    expect(released!.n).toBe(0);
  });

  it("leaves out the sellers whose yearly budget cannot pay for a run, and tells the operator", async () => {
    for (let i = 0; i < 60; i++) {
      await synthetic("capped", `c-${i}`, { category: "books", region: "eu", gmv: 300_000, orders: 12, shipHours: 4 });
    }
    // Every seller has spent all but 6 of its 350: a run may cost it 6.5.
    const year = DAY.slice(0, 4);
    await env.DB.batch(
      Array.from({ length: 60 }, (_, i) =>
        env.DB.prepare("INSERT INTO privacy_spend VALUES ('capped', ?, ?, ?)").bind(`c-${i}`, year, 344_000_000),
      ),
    );
    await release("capped");
    const body = await read("capped", "c-7");
    expect(body.suppressed.reason).toMatch(/privacy budget for 2026 is spent/);
    const run = await env.DB.prepare(
      "SELECT excluded, releases, note FROM benchmark_runs WHERE platform_id = 'capped'",
    ).first<any>();
    expect(run).toMatchObject({ excluded: 60, releases: 0 });
    expect(run.note).toMatch(/60 sellers left out: their privacy budget for 2026 could not pay for a run \(ε 6\.5\)/);
    const spent = await env.DB.prepare(
      "SELECT MAX(epsilon_micro) AS max FROM privacy_spend WHERE platform_id = 'capped'",
    ).first<any>();
    expect(spent.max).toBe(344_000_000); // nothing more was spent
  });

  it("answers before any release, and for a seller with no orders in the period", async () => {
    expect((await read("acme", "never-sold")).suppressed.reason).toMatch(/no orders in the period/);
    const key = await createPlatform("fresh");
    const res = await api("/v1/sellers/x/benchmarks", { token: key });
    expect(((await res.json()) as any).suppressed.reason).toMatch(/no benchmarks have been released/);
  });
});

type RawGlob = (pattern: string, options: { query: "?raw"; import: "default"; eager: true }) => Record<string, string>;

describe("the serving code", () => {
  it("cannot reach other sellers' rows: nothing it imports queries a rollup", () => {
    const globbed = (import.meta as ImportMeta & { glob: RawGlob }).glob("../../../src/**/*.ts", {
      query: "?raw",
      import: "default",
      eager: true,
    });
    // By path from the repository's root ("src/benchmarks/…"), and imports resolved the same way.
    const sources = new Map(Object.entries(globbed).map(([path, text]) => [path.replace(/^(\.\.\/)+/, ""), text]));
    const resolve = (from: string, spec: string) => new URL(spec, `file:///${from}`).pathname.slice(1);
    const reached = new Set<string>();
    const visit = (path: string) => {
      if (reached.has(path)) return;
      reached.add(path);
      const text = sources.get(path);
      expect(text, path).toBeDefined();
      for (const [, spec] of text!.matchAll(/from "(\.[^"]+)"/g)) visit(resolve(path, spec!));
    };
    visit("src/benchmarks/seller-benchmarks.ts");
    expect(reached.size).toBeGreaterThan(5);
    for (const path of reached) {
      expect(path).not.toMatch(/benchmarks\/inputs\.ts$/);
      expect(sources.get(path), path).not.toMatch(/FROM\s+(seller_hourly|product_hourly|ship_hourly)/i);
    }
  });
});
