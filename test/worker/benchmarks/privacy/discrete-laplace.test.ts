// The exact sampler: goodness of fit against the discrete Laplace law, and its only source of randomness.
import { describe, expect, it } from "vitest";
import { bernoulliExp, discreteLaplace } from "../../../../src/benchmarks/privacy/discrete-laplace.ts";
import { noiseScale, parseEpsilon } from "../../../../src/benchmarks/privacy/epsilon.ts";
import type { Rational } from "../../../../src/benchmarks/privacy/millionths.ts";
import {
  byteSource,
  cryptoBytes,
  type RandomBytes,
  uniformBelow,
} from "../../../../src/benchmarks/privacy/random-bytes.ts";
import { releaseCohort } from "../../../../src/benchmarks/privacy/release.ts";
import {
  chiSquareCritical,
  chiSquareFit,
  clopperPearson,
  incompleteBeta,
  lnGamma,
  tallyDraws,
  upperGamma,
} from "./stats.ts";

/**
 * False-failure budget: eight chi-square tests at ALPHA each (8e-7) and sixteen 6σ z-tests
 * (normal approximation, 2e-9 each): a correct sampler fails this file with probability < 1e-6.
 */
const ALPHA = 1e-7;
/** |z| beyond which a normal-approximated mean or variance check fails: two-sided 2e-9 < ALPHA. */
const Z = 6;

const chiSquare = (observed: Map<number, number>, p: (x: number) => number, draws: number, range: number) =>
  chiSquareFit(observed, p, draws, range, ALPHA);

/** P[Z = x] = (1 − q)/(1 + q) · q^|x| with q = exp(−den/num). */
function laplaceProbability(scale: Rational) {
  const q = Math.exp(-scale.den / scale.num);
  return (x: number) => ((1 - q) / (1 + q)) * q ** Math.abs(x);
}

describe("uniform integers and Bernoulli(exp(−γ))", () => {
  it("uniformBelow is uniform, including ranges just above a power of two", () => {
    const next = byteSource();
    for (const m of [2, 7, 257]) {
      const draws = 100_000;
      const seen = new Map<number, number>();
      for (let i = 0; i < draws; i++) {
        const u = uniformBelow(m, next);
        seen.set(u, (seen.get(u) ?? 0) + 1);
      }
      expect([...seen.keys()].every((u) => Number.isInteger(u) && u >= 0 && u < m)).toBe(true);
      const { statistic, critical } = chiSquare(seen, (x) => (x >= 0 && x < m ? 1 / m : 0), draws, m);
      expect(statistic).toBeLessThan(critical);
    }
  });

  it("Bernoulli(exp(−γ)) has mean exp(−γ) for γ below, at and above 1", () => {
    const next = byteSource();
    const draws = 100_000;
    for (const [num, den] of [
      [0, 1],
      [1, 3],
      [1, 1],
      [5, 2],
      [7, 3],
    ] as const) {
      let ones = 0;
      for (let i = 0; i < draws; i++) if (bernoulliExp(num, den, next)) ones++;
      const p = Math.exp(-num / den);
      const sd = Math.sqrt((p * (1 - p)) / draws);
      expect(Math.abs(ones / draws - p)).toBeLessThanOrEqual(Z * sd + 1e-12);
    }
  });
});

describe("discrete Laplace", () => {
  // Scales 1/2, 1, 2, 10 and 10/3 (ε = 0.3: numerator and denominator both above 1).
  const scales: Rational[] = [
    { num: 1, den: 2 },
    { num: 1, den: 1 },
    { num: 2, den: 1 },
    { num: 10, den: 1 },
    noiseScale(parseEpsilon("0.3")),
  ];
  const DRAWS = 200_000;

  for (const scale of scales) {
    it(`matches the law at scale ${scale.num}/${scale.den}: chi-square, mean and variance`, () => {
      const next = byteSource();
      const { seen, mean, sampleVariance } = tallyDraws(() => discreteLaplace(scale, next), DRAWS);
      expect([...seen.keys()].every(Number.isSafeInteger)).toBe(true);
      const p = laplaceProbability(scale);
      const range = Math.ceil((20 * scale.num) / scale.den) + 5;
      const { statistic, critical } = chiSquare(seen, p, DRAWS, range);
      expect(statistic).toBeLessThan(critical);

      // Variance 2q/(1 − q)²; the mean's standard error is √(var/N), the variance's √((μ4 − var²)/N).
      const q = Math.exp(-scale.den / scale.num);
      const variance = (2 * q) / (1 - q) ** 2;
      let fourth = 0;
      for (let x = -range * 4; x <= range * 4; x++) fourth += p(x) * x ** 4;
      expect(Math.abs(mean)).toBeLessThan(Z * Math.sqrt(variance / DRAWS));
      expect(Math.abs(sampleVariance - variance)).toBeLessThan(Z * Math.sqrt((fourth - variance ** 2) / DRAWS));
    });
  }

  it("is symmetric: P[x] = P[−x] (the sign test over all non-zero draws)", () => {
    const next = byteSource();
    let positive = 0;
    let nonZero = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = discreteLaplace({ num: 3, den: 1 }, next);
      if (x !== 0) nonZero++;
      if (x > 0) positive++;
    }
    expect(Math.abs(positive - nonZero / 2)).toBeLessThan(Z * Math.sqrt(nonZero / 4));
  });
});

type RawGlob = (pattern: string, options: { query: "?raw"; import: "default"; eager: true }) => Record<string, string>;

describe("randomness comes from crypto.getRandomValues only", () => {
  it("no file of src/benchmarks/privacy mentions Math.random", () => {
    // Vite inlines each file's text at build time; the cast only tells TypeScript (no vite/client types here).
    const sources = (import.meta as ImportMeta & { glob: RawGlob }).glob("../../../../src/benchmarks/privacy/*.ts", {
      query: "?raw",
      import: "default",
      eager: true,
    });
    const files = Object.entries(sources);
    expect(files.map(([path]) => path)).toContain("../../../../src/benchmarks/privacy/discrete-laplace.ts");
    expect(files.map(([path]) => path)).toContain("../../../../src/benchmarks/privacy/discrete-gaussian.ts");
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const [path, text] of files) {
      expect(typeof text).toBe("string");
      expect(text.length, path).toBeGreaterThan(100);
      expect(text, path).not.toMatch(/Math\s*\.\s*random|Math\s*\[\s*["'`]random/);
    }
  });

  it("a release draws every random byte from the injected source: replaying its bytes replays the release", () => {
    const recorded: Uint8Array[] = [];
    let calls = 0;
    const recording: RandomBytes = (into) => {
      calls++;
      cryptoBytes(into);
      recorded.push(into.slice());
    };
    const members = Array.from({ length: 80 }, (_, i) => ({ gmv: 10_000 * (i + 1), orders: i + 1, avg_rating: null }));
    const first = releaseCohort(members, undefined, byteSource(recording));
    expect(calls).toBeGreaterThan(0);
    let replayed = 0;
    const replay: RandomBytes = (into) => {
      into.set(recorded[replayed++]!);
    };
    expect(releaseCohort(members, undefined, byteSource(replay))).toEqual(first);
    expect(replayed).toBe(calls);
  });

  it("the sampler is a pure function of the bytes it is given", () => {
    const pattern: RandomBytes = (into) => {
      for (let i = 0; i < into.length; i++) into[i] = (i * 73 + 41) & 0xff;
    };
    const draw = () => {
      const next = byteSource(pattern);
      return Array.from({ length: 50 }, () => discreteLaplace({ num: 2, den: 1 }, next));
    };
    expect(draw()).toEqual(draw());
  });
});

describe("the test statistics themselves, against tables and brute-force sums", () => {
  it("ln Γ matches factorials", () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(11)).toBeCloseTo(Math.log(3_628_800), 10);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it("chi-square critical values match the tables", () => {
    expect(chiSquareCritical(1, 0.05)).toBeCloseTo(3.8415, 3);
    expect(chiSquareCritical(10, 0.01)).toBeCloseTo(23.2093, 3);
    expect(chiSquareCritical(30, 0.001)).toBeCloseTo(59.7031, 3);
    // P(χ²₁ > x) = erfc(√(x/2)); at 1e-6 the two-sided normal quantile is 4.8916.
    expect(chiSquareCritical(1, 1e-6)).toBeCloseTo(4.89164 ** 2, 2);
    expect(upperGamma(2.5, 1e-9)).toBeCloseTo(1, 12);
  });

  it("the incomplete beta and Clopper–Pearson bounds match brute-force binomial sums", () => {
    const binomialAtMost = (k: number, n: number, p: number) => {
      let sum = 0;
      let term = (1 - p) ** n;
      for (let i = 0; i <= k; i++) {
        sum += term;
        term *= ((n - i) / (i + 1)) * (p / (1 - p));
      }
      return sum;
    };
    expect(incompleteBeta(0.3, 4, 7)).toBeCloseTo(1 - binomialAtMost(3, 10, 0.3), 12);
    for (const [k, n] of [
      [0, 10],
      [3, 10],
      [17, 40],
      [40, 40],
      [120, 500],
    ] as const) {
      const { lower, upper } = clopperPearson(k, n, 1e-3);
      if (k < n) expect(binomialAtMost(k, n, upper)).toBeCloseTo(1e-3, 8);
      if (k > 0) expect(1 - binomialAtMost(k - 1, n, lower)).toBeCloseTo(1e-3, 8);
      expect(lower).toBeLessThanOrEqual(k / n);
      expect(upper).toBeGreaterThanOrEqual(k / n);
    }
    expect(clopperPearson(0, 10, 0.05).upper).toBeCloseTo(1 - 0.05 ** (1 / 10), 9);
  });
});
