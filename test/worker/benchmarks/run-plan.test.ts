// One run planned as the job makes it: who takes part, what each is charged, and that neither a
// cohort of 200,000 sellers nor a broken figure stops it.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BenchmarkConfig, benchmarkConfig, runsPerWindow, scheduleFits } from "../../../src/benchmarks/config.ts";
import type { SellerInput } from "../../../src/benchmarks/inputs.ts";
import { byteSource } from "../../../src/benchmarks/privacy/random-bytes.ts";
import { epsilonOf, rhoValue } from "../../../src/benchmarks/privacy/zcdp.ts";
import { BUDGET_SPENT, planRun } from "../../../src/benchmarks/run-plan.ts";

const CONFIG: BenchmarkConfig = benchmarkConfig(env);

const seller = (i: number, values: SellerInput["values"] = {}): SellerInput => ({
  sellerId: `s-${i}`,
  region: "eu",
  gmvByCategory: { shoes: 500_000 },
  values: { aov: 4_000 + (i % 97) * 10, sla_compliance: 0.9 + (i % 10) / 100, avg_rating: 4.5, ...values },
});

describe("the shipped settings", () => {
  it("keep every seller within ε 10 over any 365 days (δ 1e-9) while it takes part in every run", () => {
    expect(CONFIG.capEpsilon).toBeLessThanOrEqual(10);
    expect(CONFIG.delta).toBeLessThanOrEqual(1e-9);
    expect(runsPerWindow(CONFIG.cadenceDays)).toBe(4);
    expect(scheduleFits(CONFIG)).toBe(true);
    expect(epsilonOf(rhoValue(4 * CONFIG.runRho), CONFIG.delta)).toBeLessThanOrEqual(10);
    // One more run in the window would not fit: the cap binds, it is not a number that never does.
    expect(5 * CONFIG.runRho).toBeGreaterThan(CONFIG.capRho);
    expect(scheduleFits({ ...CONFIG, cadenceDays: 91 })).toBe(false);
  });
});

describe("planning a run", () => {
  it("releases a cohort of 200,000 sellers (no spread of members into one call), charging each once", () => {
    const inputs = Array.from({ length: 200_000 }, (_, i) => seller(i));
    const plan = planRun(inputs, new Map(), CONFIG, byteSource(undefined, 65_536));
    expect(plan.cohorts).toHaveLength(1);
    expect(plan.cohorts[0]!.members).toHaveLength(200_000);
    expect(plan.cohorts[0]!.release.suppressed).toBeNull();
    expect(plan.cohorts[0]!.release.metrics.aov!.bands).not.toBeNull();
    expect(plan.placements).toHaveLength(200_000);
    expect(plan.placements.every((p) => p.rho === CONFIG.runRho && p.cohortKey !== null)).toBe(true);
  });

  it("counts a figure that is NaN or infinite as missing instead of stopping the run", () => {
    const broken = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const inputs = Array.from({ length: 300 }, (_, i) => seller(i, i < 90 ? { aov: broken[i % 3]! } : {}));
    const plan = planRun(inputs, new Map(), CONFIG, byteSource());
    const counts = plan.cohorts[0]!.release.metrics.aov!.counts;
    // 210 finite values and noise of variance 10 on each of 20 bins: the total is 210 within a few dozen.
    expect(Math.abs(counts.reduce((a, b) => a + b, 0) - 210)).toBeLessThan(90);
  });

  it("never charges a seller past the cap, leaves out exactly those who cannot pay, and charges them nothing", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: CONFIG.capRho }), { minLength: 1, maxLength: 80 }), (spends) => {
        const inputs = spends.map((_, i) => seller(i));
        const spent = new Map(spends.map((rho, i) => [`s-${i}`, rho]));
        const plan = planRun(inputs, spent, CONFIG, byteSource());
        expect(plan.placements.map((p) => p.sellerId).sort()).toEqual(inputs.map((s) => s.sellerId).sort());
        for (const p of plan.placements) {
          const before = spent.get(p.sellerId)!;
          const canPay = before + CONFIG.runRho <= CONFIG.capRho;
          expect(p.rho).toBe(canPay ? CONFIG.runRho : 0);
          expect(before + p.rho).toBeLessThanOrEqual(CONFIG.capRho);
          if (!canPay) expect(p.reason).toBe(BUDGET_SPENT);
        }
        expect(plan.excluded).toBe(plan.placements.filter((p) => p.rho === 0).length);
        const released = new Set(plan.cohorts.flatMap((c) => c.members));
        for (const p of plan.placements.filter((p) => p.rho === 0)) expect(released.has(p.sellerId)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
