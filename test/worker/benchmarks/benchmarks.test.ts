// Cohort benchmarks end to end: the release job over D1 rollups, what a seller reads (released
// bands with their intervals, its own exact figures, its live position), suppression, the privacy
// budget over any rolling 365 days, two overlapping runs, and the operator's view.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { benchmarkConfig } from "../../../src/benchmarks/config.ts";
import { DEFAULT_METRICS } from "../../../src/benchmarks/privacy/release.ts";
import { epsilonOf, rhoValue } from "../../../src/benchmarks/privacy/zcdp.ts";
import { releaseBenchmarks } from "../../../src/benchmarks/release-job.ts";
import { COUNTER_FIELDS, HOUR_MS } from "../../../src/metrics/counters.ts";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

/** The shipped settings: what one run costs every seller it reads, as ρ and as ε at δ. */
const CONFIG = benchmarkConfig(env);
const RUN_EPSILON = epsilonOf(rhoValue(CONFIG.runRho), CONFIG.delta);

const DAY = "2026-11-30";
/** The period's hours: the 28 whole days before DAY. */
const TO_HOUR = Date.parse(`${DAY}T00:00:00Z`) / HOUR_MS;
const FROM_HOUR = TO_HOUR - 28 * 24;

const keys: Record<string, string> = {};
beforeAll(async () => {
  for (const platform of ["acme", "wide", "tiny", "capped", "race"]) keys[platform] = await createPlatform(platform);
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

const release = (platform: string, day = DAY, vars: Partial<Record<keyof Env, string>> = {}) =>
  releaseBenchmarks({ ...env, ...vars } as Env, { job: "benchmarks.platform", platform, day });
const read = async (platform: string, seller: string, token = keys[platform]!) => {
  const res = await api(`/v1/sellers/${seller}/benchmarks`, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as any;
};

describe("a release", () => {
  // 150 shoe sellers in the EU, all "small": released as category+region+size (the count's noise
  // has σ 11.2; 150 against k = 50 is 9σ clear).
  const { placed, step } = eventsAt((FROM_HOUR + 200) * HOUR_MS);
  beforeAll(async () => {
    for (let i = 1; i < 150; i++) {
      await synthetic("acme", `shoe-${i}`, {
        category: "shoes",
        region: "eu",
        gmv: 150_000 + i * 5_000,
        orders: 10 + (i % 7),
        shipHours: 2 + (i % 30),
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
    expect(Math.abs(body.cohort.sellers - 150)).toBeLessThan(60); // noised, σ 11.2: 60 is over 5σ
    expect(Number.isInteger(body.cohort.sellers)).toBe(true);
    // The same ε and δ for every release of the run, from the settings alone.
    expect(body.epsilon).toBe(RUN_EPSILON);
    expect(body.delta).toBe(1e-9);
    expect(body.budget).toEqual({ cap: 10, period: "365d", delta: 1e-9 }); // all releases together, any 365 days
    expect(Object.keys(body.metrics).sort()).toEqual([...DEFAULT_METRICS].sort());
    // Its own exact figures: 10 orders of $200, each shipped 3 hours after placement, no visits, no ratings.
    expect(body.metrics.aov.value).toBe(20_000);
    expect(body.metrics.sla_compliance.value).toBe(1);
    expect(body.metrics.cancellation_rate.value).toBe(0);
    expect(body.metrics.avg_rating).toMatchObject({ value: null, percentile: null });
    for (const metric of Object.keys(body.metrics)) {
      const m = body.metrics[metric];
      expect(m.p25).toBeLessThanOrEqual(m.p50);
      expect(m.p50).toBeLessThanOrEqual(m.p75);
      for (const q of ["p25", "p50", "p75"]) {
        const [lo, hi] = m.interval90[q];
        expect(lo).toBeLessThanOrEqual(m[q]);
        expect(hi).toBeGreaterThanOrEqual(m[q]);
      }
      if (m.value !== null) {
        expect(m.percentile).toBeGreaterThanOrEqual(0);
        expect(m.percentile).toBeLessThanOrEqual(100);
      }
    }
  });

  it("places the seller's figure over the trailing 28 days ending now on the same bands, moving with each event", async () => {
    const before = await read("acme", "shoe-0");
    // Nothing of shoe-0's in the last 28 days but the period's own orders: live equals the period's figure.
    expect(before.metrics.aov.live.value).toBe(20_000);
    expect(Date.parse(before.metrics.aov.live.as_of)).toBeGreaterThan(Date.now() - 60_000);
    const now = eventsAt(Date.now() - 30 * 60_000);
    const order = now.placed("shoe-0", "o-live", 0, {
      items: [{ product_id: "boot", category: "shoes", quantity: 1, unit_price: 200_000 }],
    });
    expect((await api("/v1/events", { method: "POST", token: keys.acme!, json: [order] })).status).toBe(202);
    await eventually(async () => {
      const after = await read("acme", "shoe-0");
      expect(after.metrics.aov.live.value).toBe((10 * 20_000 + 200_000) / 11);
      expect(after.metrics.aov.live.percentile).toBeGreaterThanOrEqual(before.metrics.aov.live.percentile);
      // The release itself and the period's figure do not move.
      expect(after.metrics.aov.p50).toBe(before.metrics.aov.p50);
      expect(after.metrics.aov.value).toBe(20_000);
    });
    const cancel = now.cancelled("shoe-0", "o-live", 5, "seller");
    expect((await api("/v1/events", { method: "POST", token: keys.acme!, json: [cancel] })).status).toBe(202);
    await eventually(async () => {
      const after = await read("acme", "shoe-0");
      expect(after.metrics.cancellation_rate.live.value).toBe(1 / 11);
      expect(after.metrics.cancellation_rate.value).toBe(0);
    });
  });

  it("is fixed once made: reading again and running the job again draw no new noise", async () => {
    const first = await read("acme", "shoe-3");
    await release("acme"); // the same period: nothing new
    await release("acme", "2026-12-03"); // three days on: not due (every 92 days)
    expect(await read("acme", "shoe-3")).toEqual({ ...first, metrics: expect.anything() });
    const again = await read("acme", "shoe-3");
    for (const metric of Object.keys(first.metrics)) {
      const { live: _a, ...released } = first.metrics[metric];
      const { live: _b, ...same } = again.metrics[metric];
      expect(same).toEqual(released);
    }
    const runs = await env.DB.prepare("SELECT COUNT(*) AS n FROM benchmark_runs WHERE platform_id = 'acme'").first<{
      n: number;
    }>();
    expect(runs!.n).toBe(1);
  });

  it("charges every seller it read the run's cost, and shows the operator the releases and the rolling budget", async () => {
    const charged = await env.DB.prepare(
      "SELECT DISTINCT rho_micro FROM benchmark_placements WHERE platform_id = 'acme'",
    ).all();
    expect(charged.results).toEqual([{ rho_micro: CONFIG.runRho }]);
    const operator = await api("/v1/sessions", { method: "POST", token: keys.acme!, json: { role: "operator" } });
    const { token } = (await operator.json()) as { token: string };
    const res = await api("/v1/ops/benchmarks", { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.releases.map((r: any) => r.cohort.level)).toEqual(["category+region+size"]);
    expect(body.releases[0]).toMatchObject({
      period: { from: "2026-11-02", to: DAY },
      mechanism: "discrete-gaussian-histogram/v2",
      epsilon: RUN_EPSILON,
      delta: 1e-9,
    });
    expect(body.budget).toEqual({
      cap: 10,
      spent: RUN_EPSILON,
      period: "365d",
      delta: 1e-9,
      rho: { cap: rhoValue(CONFIG.capRho), spent: rhoValue(CONFIG.runRho) },
    });
    expect(body.budget.cap).toBeLessThanOrEqual(10);
    expect(body.runs[0]).toMatchObject({ sellers: 150, excluded: 0, releases: 1 });
    // A seller's session may not see the operator's view.
    const seller = await api("/v1/sessions", { method: "POST", token: keys.acme!, json: { seller_id: "shoe-0" } });
    expect((await api("/v1/ops/benchmarks", { token: ((await seller.json()) as any).token })).status).toBe(403);
  });
});

describe("widening", () => {
  it("tries a cohort too small at its level one level wider, exactly one level at a time", async () => {
    // 3 regions of 30 toy sellers: each region's count misses k = 50 and their 90 together reach it. The
    // count's noise is set sharper here (ρ 0.05, σ 3.2) so that both hold beyond doubt (6σ and 13σ).
    for (let i = 0; i < 90; i++) {
      const region = ["us", "apac", "latam"][i % 3]!;
      await synthetic("wide", `toy-${i}`, {
        category: "toys",
        region,
        gmv: 200_000 + i * 3_000,
        orders: 9,
        shipHours: 5,
      });
    }
    await release("wide", DAY, { BENCHMARK_RHO_COUNT: "0.05" });
    const body = await read("wide", "toy-3");
    expect(body.cohort).toMatchObject({ level: "category+size", category: "toys", region: null, size_band: "small" });
    // Its data entered two counts and one release, yet it reads the run's one ε: what any seller of it may lose.
    expect(body.epsilon).toBe(epsilonOf(rhoValue(4 * 50_000 + 5 * 50_000), 1e-9));
  });
});

describe("suppression and the budget", () => {
  it("releases nothing for cohorts whose noised count is below k at every level, and says why", async () => {
    for (let i = 0; i < 10; i++) {
      await synthetic("tiny", `t-${i}`, { category: "books", region: "eu", gmv: 300_000, orders: 12, shipHours: 4 });
    }
    // The count's noise sharper here (ρ 0.05, σ 3.2): 10 sellers reach k = 50 at no level beyond doubt.
    await release("tiny", DAY, { BENCHMARK_RHO_COUNT: "0.05" });
    const body = await read("tiny", "t-1");
    expect(body.cohort).toBeNull();
    expect(body.metrics).toEqual({});
    expect(body.suppressed.reason).toMatch(/at least 50 sellers \(noised count\)/);
    // Its data was read: it pays the run's whole cost like everyone, and is told the run's ε.
    expect(body.epsilon).toBe(epsilonOf(rhoValue(4 * 50_000 + 5 * 50_000), 1e-9));
    const released = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM benchmark_releases WHERE platform_id = 'tiny'",
    ).first<{ n: number }>();
    expect(released!.n).toBe(0);
  });

  it("leaves out the sellers whose last 365 days cannot pay for a run, and counts a charge for exactly 365 days", async () => {
    for (let i = 0; i < 200; i++) {
      await synthetic("capped", `c-${i}`, { category: "books", region: "eu", gmv: 300_000, orders: 12, shipHours: 4 });
    }
    // Two earlier runs charged every seller 0.9 (ρ): c-0 … c-59 on the day 364 days before DAY (inside
    // the window of the 365 days ending on DAY), c-60 … c-199 the day before that (outside it).
    const inside = "2025-12-01";
    const outside = "2025-11-30";
    await env.DB.batch(
      Array.from({ length: 200 }, (_, i) =>
        env.DB.prepare(
          "INSERT INTO benchmark_placements (platform_id, period_to, seller_id, release_id, reason, rho_micro) VALUES ('capped', ?, ?, NULL, NULL, 900000)",
        ).bind(i < 60 ? inside : outside, `c-${i}`),
      ),
    );
    await release("capped");
    const left = await read("capped", "c-7");
    expect(left.suppressed.reason).toMatch(/privacy budget for the last 365 days is spent/);
    expect(left.epsilon).toBe(0); // not read, nothing lost
    const run = await env.DB.prepare(
      "SELECT excluded, releases, note FROM benchmark_runs WHERE platform_id = 'capped'",
    ).first<any>();
    expect(run).toMatchObject({ excluded: 60, releases: 1 });
    expect(run.note).toMatch(
      /^60 sellers left out: their privacy budget for the last 365 days could not pay for a run/,
    );
    const taken = await read("capped", "c-170");
    expect(taken.suppressed).toBeNull();
    // No seller's charges within any 365 days pass the cap.
    const worst = await env.DB.prepare(
      `SELECT MAX(spent) AS spent FROM (SELECT SUM(rho_micro) AS spent FROM benchmark_placements
       WHERE platform_id = 'capped' AND period_to >= '2025-12-01' GROUP BY seller_id)`,
    ).first<{ spent: number }>();
    expect(worst!.spent).toBeLessThanOrEqual(CONFIG.capRho);
  });

  it("answers before any release, and for a seller with no orders in the period", async () => {
    expect((await read("acme", "never-sold")).suppressed.reason).toMatch(/no orders in the period/);
    const key = await createPlatform("fresh");
    const res = await api("/v1/sellers/x/benchmarks", { token: key });
    expect(((await res.json()) as any).suppressed.reason).toMatch(/no benchmarks have been released/);
  });
});

describe("two overlapping runs of the same period", () => {
  it("commit once: every seller reads the draw the ledger accounts for, and KV holds no other", async () => {
    for (let i = 0; i < 120; i++) {
      await synthetic("race", `r-${i}`, { category: "art", region: "eu", gmv: 400_000 + i, orders: 15, shipHours: 6 });
    }
    // Both read "no run yet", both draw; one commits, the other loses the commit and only publishes.
    await Promise.all([release("race"), release("race")]);
    const { results: stored } = await env.DB.prepare(
      "SELECT release_id, metrics FROM benchmark_releases WHERE platform_id = 'race'",
    ).all<{ release_id: string; metrics: string }>();
    expect(stored).toHaveLength(1);
    const charges = await env.DB.prepare(
      "SELECT COUNT(*) AS n, SUM(rho_micro) AS total FROM benchmark_placements WHERE platform_id = 'race'",
    ).first<{ n: number; total: number }>();
    expect(charges).toEqual({ n: 120, total: 120 * CONFIG.runRho });
    const published = JSON.parse(stored[0]!.metrics).published;
    for (const seller of ["r-0", "r-57", "r-119"]) {
      const body = await read("race", seller);
      for (const [metric, bands] of Object.entries(published) as [string, any][]) {
        const { p25, p50, p75, interval90 } = body.metrics[metric];
        expect({ p25, p50, p75, interval90 }).toEqual(bands);
      }
    }
    const keysInKv = (await env.KV.list({ prefix: "bench-release:" })).keys.map((k) =>
      k.name.slice("bench-release:".length),
    );
    const committed = (
      await env.DB.prepare("SELECT release_id FROM benchmark_releases").all<{ release_id: string }>()
    ).results.map((r) => r.release_id);
    for (const id of keysInKv) expect(committed).toContain(id);
  });
});

describe("publishing a committed run", () => {
  it("a run committed to D1 but not yet in KV (the Worker stopped in between) is published by the next call", async () => {
    const first = await read("race", "r-1");
    const { results } = await env.DB.prepare(
      "SELECT release_id FROM benchmark_releases WHERE platform_id = 'race'",
    ).all<{
      release_id: string;
    }>();
    // As if the run had stopped right after its commit: nothing in KV, not marked published.
    for (const { release_id } of results) await env.KV.delete(`bench-release:${release_id}`);
    await env.KV.delete("bench-latest:race");
    await env.DB.prepare("UPDATE benchmark_runs SET published_at = NULL WHERE platform_id = 'race'").run();
    expect((await read("race", "r-1")).suppressed.reason).toMatch(/no benchmarks have been released/);
    await release("race", "2026-12-01"); // the next day's hourly call: not due, but the last run is unpublished
    const again = await read("race", "r-1");
    for (const metric of Object.keys(first.metrics)) {
      const { live: _a, ...released } = first.metrics[metric];
      const { live: _b, ...same } = again.metrics[metric];
      expect(same).toEqual(released);
    }
    const run = await env.DB.prepare("SELECT published_at FROM benchmark_runs WHERE platform_id = 'race'").first<{
      published_at: string | null;
    }>();
    expect(run!.published_at).not.toBeNull();
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
