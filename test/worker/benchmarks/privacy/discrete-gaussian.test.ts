// The exact discrete Gaussian sampler: goodness of fit against N_Z(0, σ²) at the variances the
// settings give, the big-integer paths it takes for large denominators, and exact ⌊√⌋.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bernoulliExpBig, discreteGaussian, floorSqrt } from "../../../../src/benchmarks/privacy/discrete-gaussian.ts";
import type { Rational } from "../../../../src/benchmarks/privacy/millionths.ts";
import { byteSource, uniformBelowBig } from "../../../../src/benchmarks/privacy/random-bytes.ts";
import { gaussianVariance, parseRho } from "../../../../src/benchmarks/privacy/zcdp.ts";
import { chiSquareFit, tallyDraws } from "./stats.ts";

/**
 * False-failure budget: seven chi-square tests at ALPHA (7e-7) and twelve 6σ z-tests (2e-9 each):
 * a correct sampler fails this file with probability below 1e-6.
 */
const ALPHA = 1e-7;
const Z = 6;
const DRAWS = 150_000;

/** P[x] = exp(−x²/2σ²) / Σ_y exp(−y²/2σ²), the normaliser summed far into both tails. */
function gaussianProbability(sigma2: number) {
  const reach = Math.ceil(40 * Math.sqrt(sigma2)) + 40;
  let total = 0;
  for (let y = -reach; y <= reach; y++) total += Math.exp(-(y * y) / (2 * sigma2));
  return (x: number) => Math.exp(-(x * x) / (2 * sigma2)) / total;
}

describe("exact helpers", () => {
  it("⌊√(num/den)⌋ is exact for every rational", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 1, max: 1e6 }), (num, den) => {
        const m = floorSqrt({ num, den });
        expect(m * m * den).toBeLessThanOrEqual(num);
        expect((m + 1) * (m + 1) * den).toBeGreaterThan(num);
      }),
    );
  });

  it("uniformBelowBig is uniform past 2^48 (ten equal slices of the range)", () => {
    const next = byteSource();
    for (const m of [2n ** 50n + 3n, 3n * 2n ** 60n + 1n]) {
      const seen = new Map<number, number>();
      const draws = 50_000;
      for (let i = 0; i < draws; i++) {
        const v = uniformBelowBig(m, next);
        expect(v >= 0n && v < m).toBe(true);
        const slice = Number((v * 10n) / m);
        seen.set(slice, (seen.get(slice) ?? 0) + 1);
      }
      const { statistic, critical } = chiSquareFit(seen, (x) => (x >= 0 && x < 10 ? 0.1 : 0), draws, 10, ALPHA);
      expect(statistic).toBeLessThan(critical);
    }
  });

  it("Bernoulli(exp(−γ)) with big-integer γ has mean exp(−γ), below, at and above 1", () => {
    const next = byteSource();
    const draws = 60_000;
    const big = 2n ** 52n + 7n; // a denominator past 2^48: the big-integer uniform path
    for (const [num, den] of [
      [big / 3n, big],
      [big, big],
      [(big * 5n) / 2n, big],
    ] as const) {
      let ones = 0;
      for (let i = 0; i < draws; i++) if (bernoulliExpBig(num, den, next)) ones++;
      const p = Math.exp(-Number(num) / Number(den));
      expect(Math.abs(ones / draws - p)).toBeLessThanOrEqual(Z * Math.sqrt((p * (1 - p)) / draws));
    }
  });
});

describe("discrete Gaussian", () => {
  // ρ = 1, 0.05 (a metric's histogram), 0.004 (a noised count), and two variances whose reduced
  // form needs the big-integer paths: σ² = 500,000/123,457 and 9/4.
  const variances: Rational[] = [
    gaussianVariance(parseRho("1")),
    gaussianVariance(parseRho("0.05")),
    gaussianVariance(parseRho("0.004")),
    gaussianVariance(parseRho("0.123457")),
    { num: 9, den: 4 },
  ];

  for (const sigma2 of variances) {
    const s2 = sigma2.num / sigma2.den;
    it(`matches N_Z(0, ${sigma2.num}/${sigma2.den}): chi-square, mean and variance`, () => {
      const next = byteSource(undefined, 65_536);
      const { seen, mean, sampleVariance } = tallyDraws(() => discreteGaussian(sigma2, next), DRAWS);
      expect([...seen.keys()].every(Number.isSafeInteger)).toBe(true);
      const p = gaussianProbability(s2);
      const range = Math.ceil(8 * Math.sqrt(s2)) + 2;
      const { statistic, critical } = chiSquareFit(seen, p, DRAWS, range, ALPHA);
      expect(statistic).toBeLessThan(critical);
      // The exact variance and fourth moment of N_Z, summed; the checks' standard errors from them.
      let variance = 0;
      let fourth = 0;
      for (let x = -range * 6; x <= range * 6; x++) {
        variance += p(x) * x * x;
        fourth += p(x) * x ** 4;
      }
      expect(variance).toBeLessThanOrEqual(s2); // the discrete Gaussian's variance is below σ²
      expect(Math.abs(mean)).toBeLessThan(Z * Math.sqrt(variance / DRAWS));
      expect(Math.abs(sampleVariance - variance)).toBeLessThan(Z * Math.sqrt((fourth - variance ** 2) / DRAWS));
    });
  }

  it("is a pure function of the bytes it is given", () => {
    const pattern = (into: Uint8Array) => {
      for (let i = 0; i < into.length; i++) into[i] = (i * 97 + 13) & 0xff;
    };
    const draw = () => {
      const next = byteSource(pattern);
      return Array.from({ length: 50 }, () => discreteGaussian({ num: 10, den: 1 }, next));
    };
    expect(draw()).toEqual(draw());
  });
});
