/**
 * An end-to-end privacy audit of one run as the job makes it (planRun: the noised counts over the
 * widening levels, placement, and the full metric set), on a platform D and on D plus one seller.
 * Observed event frequencies are bounded (Clopper–Pearson) and checked against the privacy curve
 * that the claimed ρ implies; the largest ρ they force is a lower bound ρ̂ on the run's true ρ, and
 * ε̂ = ε(ρ̂) at δ = 1e-9 is set against the claimed ε. The shipped mechanism stays under its claim;
 * the same mechanism with its noise halved (claiming the same ρ) is caught. An audit can refute a
 * privacy claim, never prove one.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type BenchmarkConfig, benchmarkConfig } from "../../../../src/benchmarks/config.ts";
import type { SellerInput } from "../../../../src/benchmarks/inputs.ts";
import { BINS, binOf, type Metric } from "../../../../src/benchmarks/privacy/bins.ts";
import { byteSource } from "../../../../src/benchmarks/privacy/random-bytes.ts";
import { deltaOf, epsilonOf, rhoValue } from "../../../../src/benchmarks/privacy/zcdp.ts";
import { planRun } from "../../../../src/benchmarks/run-plan.ts";
import { clopperPearson } from "./stats.ts";

/** Probability that the audit wrongly accuses a correct mechanism (a union bound over all its intervals). */
const FAILURE = 1e-6;
/** Runs on each of D and D + x: fewer in CI, more under `npm run test:long` (AUDIT_RUNS). */
const RUNS = Number(env.AUDIT_RUNS || 12_000);

const SHIPPED: BenchmarkConfig = benchmarkConfig(env);
const CLAIMED_RHO = rhoValue(SHIPPED.runRho);
const DELTA = SHIPPED.delta;

const values = (i: number): SellerInput["values"] => ({
  aov: 2_500 + ((i * 37) % 50) * 150,
  conversion_rate: 0.01 + ((i * 13) % 40) / 1_000,
  cancellation_rate: ((i * 7) % 10) / 200,
  sla_compliance: 0.85 + ((i * 11) % 15) / 100,
  avg_rating: 3.8 + ((i * 17) % 12) / 10,
});
const seller = (id: string, region: string, i: number): SellerInput => ({
  sellerId: id,
  region,
  gmvByCategory: { shoes: 400_000 },
  values: values(i),
});

/**
 * D: 49 shoe sellers in eu and 30 in us, all "small". x, added, is a 50th in eu: with it the eu
 * cohort's true count is k, so whether it is released at the narrowest level or widened to
 * shoes+small (or beyond) is in play, and x moves a noised count at every level it is tried at.
 */
const D: SellerInput[] = [
  ...Array.from({ length: 49 }, (_, i) => seller(`eu-${i}`, "eu", i)),
  ...Array.from({ length: 30 }, (_, i) => seller(`us-${i}`, "us", 100 + i)),
];
const X = seller("x", "eu", 1_000);
const D_PLUS = [...D, X];
const valuesOf = new Map(D_PLUS.map((s) => [s.sellerId, s.values]));

interface Observation {
  /** The level of the release that holds x's eu group (0: none), and the statistic T. */
  readonly level: number;
  readonly t: number;
}

/**
 * What a run shows about x: the release holding its eu group (its cohort key names the level),
 * and T = Σ (observed − D's true value)/σ² over that release's noised count and, per metric, the
 * noisy count of the bin x's value falls in. Adding x moves each by exactly 1.
 */
function observe(inputs: SellerInput[], config: BenchmarkConfig, runs: number): Observation[] {
  const next = byteSource(undefined, 65_536);
  const varianceCount = 500_000 / config.rhoCount;
  const varianceMetric = 500_000 / config.rhoMetric;
  return Array.from({ length: runs }, () => {
    const plan = planRun(inputs, new Map(), config, next);
    const held = plan.cohorts.find((c) => c.members.includes("eu-0"));
    if (!held) return { level: 0, t: 0 };
    const fromD = held.members.filter((id) => id !== "x");
    let t = (held.release.sellers - fromD.length) / varianceCount;
    for (const metric of config.metrics) {
      const bins = BINS[metric as Metric];
      const bin = binOf(bins, X.values[metric as Metric]!);
      const inD = fromD.filter((id) => binOf(bins, valuesOf.get(id)![metric as Metric]!) === bin).length;
      t += (held.release.metrics[metric as Metric]!.counts[bin]! - inD) / varianceMetric;
    }
    const level = ["category+region+size", "category+size", "size", "platform"].indexOf(held.cohort.level) + 1;
    return { level, t };
  });
}

/** Events: each level alone, T above thresholds (over all levels and per level), and their complements. */
function events(config: BenchmarkConfig): { name: string; holds: (o: Observation) => boolean }[] {
  const scale = Math.sqrt((config.metrics.length * config.rhoMetric + config.rhoCount) / 500_000);
  const list: { name: string; holds: (o: Observation) => boolean }[] = [];
  for (let level = 0; level <= 4; level++) list.push({ name: `level ${level}`, holds: (o) => o.level === level });
  for (let k = -3; k <= 3; k += 0.5) {
    const t = k * scale;
    list.push({ name: `T ≥ ${t.toFixed(3)}`, holds: (o) => o.level > 0 && o.t >= t });
    for (let level = 1; level <= 2; level++) {
      list.push({ name: `level ${level}, T ≥ ${t.toFixed(3)}`, holds: (o) => o.level === level && o.t >= t });
    }
  }
  return list.flatMap((e) => [e, { name: `not (${e.name})`, holds: (o: Observation) => !e.holds(o) }]);
}

/**
 * Whether P[E] ≥ p and P'[E] ≤ q contradict ρ-zCDP, which allows p ≤ e^ε q + δ_ρ(ε) at every ε.
 * The least allowance is searched by golden section over ε in [0, 30]; missing the very least
 * only lets more through, so ρ̂ stays a lower bound.
 */
const contradicts = (rho: number, p: number, q: number) => {
  const allowed = (eps: number) => Math.exp(eps) * q + deltaOf(rho, eps);
  let [a, b] = [0, 30];
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const [c, d] = [b - g * (b - a), a + g * (b - a)];
    if (allowed(c) < allowed(d)) b = d;
    else a = c;
  }
  return p > Math.min(1, allowed(a), allowed(0));
};

/** The largest ρ that the observed frequencies contradict (0 if none): a lower bound on the run's ρ. */
function auditRho(onD: Observation[], onDPlus: Observation[], config: BenchmarkConfig) {
  const candidates = events(config);
  const beta = FAILURE / (candidates.length * 4);
  let best = { rho: 0, event: "none" };
  for (const { name, holds } of candidates) {
    const a = clopperPearson(onD.filter(holds).length, onD.length, beta);
    const b = clopperPearson(onDPlus.filter(holds).length, onDPlus.length, beta);
    for (const [p, q, order] of [
      [b.lower, a.upper, "D+x over D"],
      [a.lower, b.upper, "D over D+x"],
    ] as const) {
      if (!contradicts(best.rho, p, q)) continue;
      let lo = best.rho;
      let hi = 64;
      for (let i = 0; i < 40; i++) {
        const mid = (lo + hi) / 2;
        if (contradicts(mid, p, q)) lo = mid;
        else hi = mid;
      }
      best = { rho: lo, event: `${name} (${order})` };
    }
  }
  return { ...best, epsilon: best.rho > 0 ? epsilonOf(best.rho, DELTA) : 0 };
}

describe(`end-to-end privacy audit of a run (neighbours: one seller added; ${RUNS} runs each)`, () => {
  const claimedEpsilon = epsilonOf(CLAIMED_RHO, DELTA);

  it(`the shipped run's ε̂ stays below its claimed ε = ${claimedEpsilon} (ρ ${CLAIMED_RHO}, δ ${DELTA})`, () => {
    const found = auditRho(observe(D, SHIPPED, RUNS), observe(D_PLUS, SHIPPED, RUNS), SHIPPED);
    console.info(
      `audit, shipped mechanism: ρ̂ = ${found.rho.toFixed(4)} (ε̂ = ${found.epsilon}) ≤ ρ ${CLAIMED_RHO} (ε ${claimedEpsilon}); ${found.event}`,
    );
    expect(found.rho).toBeLessThanOrEqual(CLAIMED_RHO);
    // Not vacuous: the events it finds are far from nothing.
    expect(found.rho).toBeGreaterThan(0.1 * CLAIMED_RHO);
  });

  it("catches the same run with its noise halved while it claims the same ρ", () => {
    const halved: BenchmarkConfig = { ...SHIPPED, rhoCount: 4 * SHIPPED.rhoCount, rhoMetric: 4 * SHIPPED.rhoMetric };
    const found = auditRho(observe(D, halved, RUNS), observe(D_PLUS, halved, RUNS), halved);
    console.info(
      `audit, noise halved: ρ̂ = ${found.rho.toFixed(4)} (ε̂ = ${found.epsilon}) > ρ ${CLAIMED_RHO} (ε ${claimedEpsilon}); ${found.event}`,
    );
    expect(found.rho).toBeGreaterThan(CLAIMED_RHO);
    expect(found.epsilon).toBeGreaterThan(claimedEpsilon);
  });
});
