// The release of one cohort, its bins, its post-processing, and the percentile read from it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BINS, binCount, binOf, METRICS, type Metric } from "../../../../src/benchmarks/privacy/bins.ts";
import { noiseScale, parseEpsilon } from "../../../../src/benchmarks/privacy/epsilon.ts";
import { isotonicIncreasing } from "../../../../src/benchmarks/privacy/isotonic.ts";
import { percentile } from "../../../../src/benchmarks/privacy/percentile.ts";
import { monotoneCdf, quartilesOf } from "../../../../src/benchmarks/privacy/quantiles.ts";
import { byteSource } from "../../../../src/benchmarks/privacy/random-bytes.ts";
import {
  DEFAULT_RELEASE_CONFIG,
  MECHANISM,
  type MetricRelease,
  noisedCount,
  type ReleaseConfig,
  releaseCohort,
  runRho,
  type SellerValues,
} from "../../../../src/benchmarks/privacy/release.ts";
import { parseRho } from "../../../../src/benchmarks/privacy/zcdp.ts";

/** A value anywhere in (and a little beyond) the metric's clamp range, or null. */
const metricValue = (metric: Metric) => {
  const { edges } = BINS[metric];
  const lo = edges[0]!;
  const hi = edges[edges.length - 1]!;
  return fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: lo / 2, max: hi * 2, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(lo, hi, 0) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
};
const seller: fc.Arbitrary<SellerValues> = fc.record(
  Object.fromEntries(METRICS.map((m) => [m, metricValue(m)])) as Record<Metric, fc.Arbitrary<number | null>>,
);

describe("epsilon", () => {
  it("parses decimals exactly into micro-ε and gives the exact scale 1/ε", () => {
    expect(parseEpsilon("0.5")).toBe(500_000);
    expect(parseEpsilon("2")).toBe(2_000_000);
    expect(parseEpsilon("0.000001")).toBe(1);
    expect(() => parseEpsilon("0.1234567")).toThrow();
    expect(() => parseEpsilon("-1")).toThrow();
    expect(noiseScale(parseEpsilon("0.5"))).toEqual({ num: 2, den: 1 });
    expect(noiseScale(parseEpsilon("0.3"))).toEqual({ num: 10, den: 3 });
    expect(noiseScale(parseEpsilon("2"))).toEqual({ num: 1, den: 2 });
  });
});

describe("bins", () => {
  it("are public constants: strictly increasing edges but for point bins, log bins positive", () => {
    for (const metric of METRICS) {
      const { edges, scale } = BINS[metric];
      for (let j = 1; j < edges.length; j++) expect(edges[j]!).toBeGreaterThanOrEqual(edges[j - 1]!);
      // Never two point bins in a row (a value would have two).
      for (let j = 2; j < edges.length; j++)
        expect(edges[j] === edges[j - 1] && edges[j - 1] === edges[j - 2]).toBe(false);
      if (scale === "log") expect(edges[0]!).toBeGreaterThan(0);
      expect(binCount(BINS[metric])).toBeLessThanOrEqual(24);
    }
    // A pile inside the range: 4 and 4.5 stars each have their point bin, before the bin that starts there.
    const { edges } = BINS.avg_rating;
    expect(binOf(BINS.avg_rating, 4)).toBe(edges.indexOf(4));
    expect(binOf(BINS.avg_rating, 4.01)).toBe(edges.indexOf(4) + 1);
    expect(binOf(BINS.avg_rating, 4.5)).toBe(edges.indexOf(4.5));
  });

  it("put a value in the bin that holds it, clamped values at the ends, piles in their point bins", () => {
    expect(binOf(BINS.acceptance_rate, 1)).toBe(binCount(BINS.acceptance_rate) - 1);
    expect(binOf(BINS.acceptance_rate, 0.995)).toBe(binCount(BINS.acceptance_rate) - 2);
    expect(binOf(BINS.cancellation_rate, 0)).toBe(0);
    expect(binOf(BINS.cancellation_rate, 0.001)).toBe(1);
    expect(binOf(BINS.gmv, 0)).toBe(0);
    expect(binOf(BINS.gmv, 1e12)).toBe(binCount(BINS.gmv) - 1);
    expect(binOf(BINS.conversion_rate, 3)).toBe(binCount(BINS.conversion_rate) - 1);
    expect(() => binOf(BINS.gmv, Number.NaN)).toThrow();
    fc.assert(
      fc.property(fc.constantFrom(...METRICS), fc.double({ min: -1, max: 1e10, noNaN: true }), (metric, v) => {
        const bins = BINS[metric];
        const j = binOf(bins, v);
        const c = Math.min(bins.edges[bins.edges.length - 1]!, Math.max(bins.edges[0]!, v));
        return bins.edges[j]! <= c && c <= bins.edges[j + 1]!;
      }),
    );
  });
});

describe("isotonic regression and the monotone CDF", () => {
  it("gives a non-decreasing fit that keeps the sum and leaves sorted input alone", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 30 }), (ys) => {
        const fit = isotonicIncreasing(ys);
        expect(fit).toHaveLength(ys.length);
        for (let i = 1; i < fit.length; i++) expect(fit[i]!).toBeGreaterThanOrEqual(fit[i - 1]!);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        expect(sum(fit)).toBeCloseTo(sum(ys), 6);
        expect(isotonicIncreasing([...ys].sort((a, b) => a - b))).toEqual([...ys].sort((a, b) => a - b));
      }),
    );
    expect(isotonicIncreasing([1, 3, 2, 4])).toEqual([1, 2.5, 2.5, 4]);
  });

  it("clips the CDF to [0, total] and keeps it non-decreasing", () => {
    const { cumulative, total } = monotoneCdf([-3, 2, 5, -1, 0, 4]);
    expect(total).toBeGreaterThan(0);
    for (const f of cumulative) expect(f >= 0 && f <= total).toBe(true);
    for (let i = 1; i < cumulative.length; i++) expect(cumulative[i]!).toBeGreaterThanOrEqual(cumulative[i - 1]!);
  });

  it("reads exact quartiles from a noiseless histogram, inside the right bins", () => {
    const bins = BINS.gmv;
    const values = Array.from({ length: 400 }, (_, i) => 20_000 * 1.01 ** i);
    const counts = new Array<number>(binCount(bins)).fill(0);
    for (const v of values) counts[binOf(bins, v)]! += 1;
    const bands = quartilesOf(bins, counts, 50)!;
    const sorted = [...values].sort((a, b) => a - b);
    for (const [q, p] of [
      [0.25, bands.p25],
      [0.5, bands.p50],
      [0.75, bands.p75],
    ] as const) {
      const truth = sorted[Math.floor(q * sorted.length)]!;
      expect(binOf(bins, p)).toBe(binOf(bins, truth));
      expect(Math.abs(Math.log(p / truth))).toBeLessThan(0.05);
    }
    expect(
      quartilesOf(
        bins,
        counts.map(() => 0),
        1,
      ),
    ).toBeNull();
  });

  it("lands a quartile on a pile of equal values (a point bin) exactly", () => {
    const bins = BINS.acceptance_rate;
    const counts = new Array<number>(binCount(bins)).fill(0);
    counts[binOf(bins, 0.9)] = 20;
    counts[binOf(bins, 1)] = 80;
    expect(quartilesOf(bins, counts, 50)).toEqual({ p25: 1, p50: 1, p75: 1 });
  });
});

describe("releaseCohort", () => {
  const config: ReleaseConfig = { ...DEFAULT_RELEASE_CONFIG, k: 20, metrics: METRICS };

  it("outputs a noised integer count, noisy integer counts for every bin, ordered quartiles in range", () => {
    const next = byteSource();
    fc.assert(
      fc.property(fc.array(seller, { minLength: 0, maxLength: 120 }), (members) => {
        const release = releaseCohort(members, config, next);
        expect(release.mechanism).toBe(MECHANISM);
        expect(Number.isSafeInteger(release.sellers) && release.sellers >= 0).toBe(true);
        if (release.suppressed !== null) {
          expect(release.sellers).toBeLessThan(config.k);
          expect(release.metrics).toEqual({});
          return;
        }
        for (const metric of METRICS) {
          const out: MetricRelease = release.metrics[metric]!;
          expect(out.counts).toHaveLength(binCount(BINS[metric]));
          expect(out.counts.every(Number.isSafeInteger)).toBe(true);
          if (out.bands === null) continue;
          const { edges } = BINS[metric];
          const { p25, p50, p75 } = out.bands;
          expect(edges[0]! <= p25 && p25 <= p50 && p50 <= p75 && p75 <= edges[edges.length - 1]!).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("suppression is decided by the noised count, never the true one", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ gmv: 10_000 + i }));
    const few = many.slice(0, 3);
    const next = byteSource();
    expect(releaseCohort(many, config, next, 19).suppressed).toEqual({
      reason: "fewer than 20 sellers (noised count)",
    });
    expect(releaseCohort(few, config, next, 20).suppressed).toBeNull();
    // Drawn inside: a cohort of exactly k is suppressed about as often as its (symmetric) noise is
    // negative: (1 − P[0]) / 2, with P[0] of the discrete Gaussian of variance 125 (ρ 0.004) ≈ 0.0357.
    let suppressed = 0;
    const runs = 4_000;
    for (let i = 0; i < runs; i++) if (releaseCohort(many.slice(0, 20), config, next).suppressed) suppressed++;
    let mass = 0;
    for (let x = -200; x <= 200; x++) mass += Math.exp(-(x * x) / 250);
    const pNegative = (1 - 1 / mass) / 2;
    expect(Math.abs(suppressed / runs - pNegative)).toBeLessThan(6 * Math.sqrt((pNegative * (1 - pNegative)) / runs));
  });

  it("a seller without a value, or with one that is not finite, adds nothing to that metric", () => {
    const next = byteSource();
    const rated = Array.from({ length: 60 }, () => ({ avg_rating: 4.5, gmv: 50_000 }));
    const unrated = Array.from({ length: 60 }, (_, i) => ({
      avg_rating: [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY][i % 4]!,
      gmv: 50_000,
    }));
    const one: ReleaseConfig = { ...config, metrics: ["avg_rating"], rhoMetric: parseRho("8") };
    const totals = (members: SellerValues[]) =>
      releaseCohort(members, one, next, 100).metrics.avg_rating!.counts.reduce((a, b) => a + b, 0);
    // Variance 1/16 on 13 bins: the totals sit within a few of 60 and of 0.
    expect(Math.abs(totals(rated) - 60)).toBeLessThan(15);
    expect(Math.abs(totals(unrated))).toBeLessThan(15);
    expect(releaseCohort(unrated, one, next, 100).metrics.avg_rating!.bands).toBeNull();
  });

  it("releases the metrics asked for, and its cost is the settings' alone: a count per level and each metric", () => {
    const two: ReleaseConfig = { ...config, metrics: ["gmv", "orders"] };
    const release = releaseCohort([{ gmv: 1 }], two, byteSource(), 50);
    expect(Object.keys(release.metrics)).toEqual(["gmv", "orders"]);
    expect(runRho(two)).toBe(4 * config.rhoCount + 2 * config.rhoMetric);
    expect(runRho(DEFAULT_RELEASE_CONFIG)).toBe(parseRho("0.266"));
    expect(() => releaseCohort([], { ...config, metrics: ["gmv", "gmv"] }, byteSource(), 50)).toThrow();
  });

  it("refuses k below 20 unless a test says so", () => {
    expect(() => releaseCohort([], { ...config, k: 19 }, byteSource(), 0)).toThrow(/floor/);
    expect(releaseCohort([], { ...config, k: 5, belowFloorForTests: true }, byteSource(), 4).suppressed).not.toBeNull();
  });

  it("noisedCount is a non-negative integer", () => {
    const next = byteSource();
    for (let i = 0; i < 1_000; i++) {
      const n = noisedCount(2, parseRho("0.01"), next);
      if (!(Number.isSafeInteger(n) && n >= 0)) throw new Error(`noised count ${n}`);
    }
  });
});

/** A metric, released bands for it (sorted, in range, often tied), and two values in order. */
const scenario = fc.constantFrom(...METRICS).chain((metric) => {
  const { edges } = BINS[metric];
  const lo = edges[0]!;
  const hi = edges[edges.length - 1]!;
  const point = fc.oneof(fc.double({ min: lo, max: hi, noNaN: true }), fc.constantFrom(lo, hi));
  const value = fc.oneof(fc.double({ min: lo / 2 - 1, max: hi * 2, noNaN: true }), point);
  return fc.record({
    metric: fc.constant(metric),
    bands: fc.array(point, { minLength: 3, maxLength: 3 }).map((ps) => {
      const [p25, p50, p75] = ps.sort((a, b) => a - b) as [number, number, number];
      return { p25, p50, p75 };
    }),
    values: fc.tuple(value, value).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
  });
});

describe("percentile", () => {
  it("is non-decreasing in the seller's value and stays within 0–100", () => {
    fc.assert(
      fc.property(scenario, ({ metric, bands, values: [a, b] }) => {
        const pa = percentile(metric, a!, bands);
        const pb = percentile(metric, b!, bands);
        expect(pa).toBeGreaterThanOrEqual(0);
        expect(pb).toBeLessThanOrEqual(100);
        expect(pa).toBeLessThanOrEqual(pb);
      }),
      { numRuns: 2_000 },
    );
  });

  it("puts the quartiles at 25, 50, 75 and the clamp range at 0 and 100", () => {
    const bands = { p25: 100_000, p50: 400_000, p75: 1_600_000 };
    expect(percentile("gmv", 100_000, bands)).toBe(25);
    expect(percentile("gmv", 400_000, bands)).toBe(50);
    expect(percentile("gmv", 1_600_000, bands)).toBe(75);
    expect(percentile("gmv", 200_000, bands)).toBeCloseTo(37.5, 9); // geometric midpoint
    expect(percentile("gmv", 0, bands)).toBe(0);
    expect(percentile("gmv", 1e12, bands)).toBe(100);
    expect(percentile("avg_rating", 4.5, { p25: 4, p50: 4.5, p75: 5 })).toBe(50);
    expect(percentile("avg_rating", 4.25, { p25: 4, p50: 4.5, p75: 5 })).toBeCloseTo(37.5, 9); // linear
  });

  it("gives a value on tied quartiles the middle of their percentiles", () => {
    expect(percentile("acceptance_rate", 1, { p25: 0.97, p50: 1, p75: 1 })).toBe(75); // 50, 75, 100 tied
    expect(percentile("cancellation_rate", 0, { p25: 0, p50: 0, p75: 0.02 })).toBe(25); // 0, 25, 50 tied
    expect(percentile("cancellation_rate", 0.01, { p25: 0, p50: 0, p75: 0.02 })).toBeCloseTo(62.5, 9);
  });

  it("refuses bands that are out of order or out of range", () => {
    expect(() => percentile("gmv", 5, { p25: 3_000, p50: 2_000, p75: 4_000 })).toThrow();
    expect(() => percentile("avg_rating", 4, { p25: 0, p50: 4, p75: 5 })).toThrow();
  });
});
