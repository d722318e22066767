/**
 * An empirical privacy audit: the release run many times on D and on D plus one seller, its best
 * distinguishing event a lower bound on ε. The real mechanism stays under its ε; halved noise is caught.
 */
import { describe, expect, it } from "vitest";
import { BINS, binOf } from "../../../../src/benchmarks/privacy/bins.ts";
import { epsilonValue, parseEpsilon } from "../../../../src/benchmarks/privacy/epsilon.ts";
import { byteSource } from "../../../../src/benchmarks/privacy/random-bytes.ts";
import { type ReleaseConfig, releaseCohort, type SellerValues } from "../../../../src/benchmarks/privacy/release.ts";
import { clopperPearson } from "./stats.ts";

/** Probability that the audit wrongly accuses a correct mechanism (union bound over all its intervals). */
const FAILURE = 1e-6;
const RUNS = 30_000;

/**
 * One metric and the count, so that the release's whole ε (0.5 + 0.5) is within reach of an
 * event with probabilities near 1/2. With all nine metrics the ε per release adds to 5; the
 * event that reaches it (every component at once in its tail) has probability ~1e-4 on D and
 * would need millions of runs. Each histogram composes the same way, so auditing the count and
 * one histogram jointly tests the composition as well as the sampler.
 */
const CONFIG: ReleaseConfig = {
  k: 50,
  epsilonCount: parseEpsilon("0.5"),
  epsilonPerMetric: parseEpsilon("0.5"),
  metrics: ["gmv"],
};
const CLAIMED = epsilonValue(CONFIG.epsilonCount + CONFIG.epsilonPerMetric);

/** D: 50 sellers (exactly k, so suppression is in play), GMV spread over $300–$80,000. */
const D: SellerValues[] = Array.from({ length: 50 }, (_, i) => ({ gmv: Math.round(30_000 * 1.12 ** i) }));
const ADDED: SellerValues = { gmv: 500_000 };
const D_PLUS: SellerValues[] = [...D, ADDED];
const BIN = binOf(BINS.gmv, ADDED.gmv!);
const BIN_COUNT_IN_D = D.filter((s) => binOf(BINS.gmv, s.gmv!) === BIN).length;

interface Observation {
  readonly sellers: number;
  /** The added seller's bin's noisy count; −∞ when the release was suppressed. */
  readonly bin: number;
}

function observe(cohort: SellerValues[], config: ReleaseConfig, runs: number): Observation[] {
  const next = byteSource(undefined, 65_536);
  return Array.from({ length: runs }, () => {
    const release = releaseCohort(cohort, config, next);
    return { sellers: release.sellers, bin: release.metrics.gmv?.counts[BIN] ?? -Infinity };
  });
}

/**
 * Candidate events: thresholds on the noised count, on the bin's noisy count, and both at once,
 * around the true values; each with its complement, which covers the other direction.
 */
function events(): { name: string; holds: (o: Observation) => boolean }[] {
  const n = D.length;
  const m = BIN_COUNT_IN_D;
  const list: { name: string; holds: (o: Observation) => boolean }[] = [];
  for (let a = n - 2; a <= n + 3; a++) {
    list.push({ name: `sellers ≥ ${a}`, holds: (o) => o.sellers >= a });
    for (let c = m - 2; c <= m + 3; c++) {
      list.push({ name: `sellers ≥ ${a} and bin ≥ ${c}`, holds: (o) => o.sellers >= a && o.bin >= c });
    }
  }
  for (let c = m - 2; c <= m + 3; c++) list.push({ name: `bin ≥ ${c}`, holds: (o) => o.bin >= c });
  return list.flatMap((e) => [e, { name: `not (${e.name})`, holds: (o: Observation) => !e.holds(o) }]);
}

/**
 * ε̂ = max over events E and both orders of ln(lower(P[E | one]) / upper(P[E | other])), each
 * bound one-sided Clopper–Pearson at FAILURE / (number of bounds computed): with probability
 * ≥ 1 − FAILURE every bound holds at once, and then ε̂ is at most the true ε.
 */
function auditEpsilon(onD: Observation[], onDPlus: Observation[]): { epsilon: number; event: string } {
  const candidates = events();
  const beta = FAILURE / (candidates.length * 4);
  let best = { epsilon: 0, event: "none" };
  for (const { name, holds } of candidates) {
    const a = clopperPearson(onD.filter(holds).length, onD.length, beta);
    const b = clopperPearson(onDPlus.filter(holds).length, onDPlus.length, beta);
    for (const [lower, upper, order] of [
      [b.lower, a.upper, "D+1 over D"],
      [a.lower, b.upper, "D over D+1"],
    ] as const) {
      const epsilon = lower > 0 && upper > 0 ? Math.log(lower / upper) : 0;
      if (epsilon > best.epsilon) best = { epsilon, event: `${name} (${order})` };
    }
  }
  return best;
}

describe("empirical privacy audit (neighbours: one seller added)", () => {
  it(`the release's best distinguishing event stays below its configured ε = ${CLAIMED}`, () => {
    const found = auditEpsilon(observe(D, CONFIG, RUNS), observe(D_PLUS, CONFIG, RUNS));
    console.info(`audit, sound mechanism: ε̂ = ${found.epsilon.toFixed(3)} ≤ ${CLAIMED} (${found.event})`);
    expect(found.epsilon).toBeLessThanOrEqual(CLAIMED);
    // The audit is not vacuous: it gets most of the way to the true ε.
    expect(found.epsilon).toBeGreaterThan(0.6 * CLAIMED);
  });

  it("the same audit catches a release whose noise scale is halved while it still claims the same ε", () => {
    const halved: ReleaseConfig = {
      ...CONFIG,
      epsilonCount: 2 * CONFIG.epsilonCount,
      epsilonPerMetric: 2 * CONFIG.epsilonPerMetric,
    };
    const found = auditEpsilon(observe(D, halved, RUNS), observe(D_PLUS, halved, RUNS));
    console.info(`audit, noise scale halved: ε̂ = ${found.epsilon.toFixed(3)} > ${CLAIMED} (${found.event})`);
    expect(found.epsilon).toBeGreaterThan(CLAIMED);
  });
});
