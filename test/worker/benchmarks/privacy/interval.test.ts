// The 90% intervals of the released quartiles: post-processing of released numbers and public
// settings only, reproducible, holding the released quartile, and covering the cohort's actual
// quartile in 88–95% of simulated releases at the shipped settings.
import { describe, expect, it } from "vitest";
import { seeded, simulateCohort } from "../../../../perf/privacy/simulate.ts";
import { BINS, binOf } from "../../../../src/benchmarks/privacy/bins.ts";
import { interval90 } from "../../../../src/benchmarks/privacy/interval.ts";
import { byteSource } from "../../../../src/benchmarks/privacy/random-bytes.ts";
import { DEFAULT_RELEASE_CONFIG, releaseCohort, usable } from "../../../../src/benchmarks/privacy/release.ts";
import { gaussianVariance } from "../../../../src/benchmarks/privacy/zcdp.ts";

const VARIANCE = gaussianVariance(DEFAULT_RELEASE_CONFIG.rhoMetric);
const QUARTILES = [
  ["p25", 0.25],
  ["p50", 0.5],
  ["p75", 0.75],
] as const;

describe("interval90", () => {
  it("is a function of the released counts alone: the same counts give the same intervals", () => {
    const counts = [0, 3, -2, 10, 25, 40, 31, 12, 4, -1, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0];
    const a = interval90(BINS.aov, counts, VARIANCE);
    expect(a).not.toBeNull();
    expect(interval90(BINS.aov, [...counts], VARIANCE)).toEqual(a);
    expect(
      interval90(
        BINS.aov,
        counts.map(() => 0),
        VARIANCE,
      ),
    ).toBeNull();
  });

  it("holds the released quartile and stays within the metric's clamp range", () => {
    const next = byteSource();
    const u = seeded(3);
    for (let run = 0; run < 40; run++) {
      const release = releaseCohort(simulateCohort(u, 60), DEFAULT_RELEASE_CONFIG, next, 60);
      for (const [metric, m] of Object.entries(release.metrics)) {
        if (!m.bands) continue;
        const bins = BINS[metric as keyof typeof BINS];
        const intervals = interval90(bins, m.counts, VARIANCE)!;
        for (const [q] of QUARTILES) {
          const [lo, hi] = intervals[q];
          expect(lo).toBeLessThanOrEqual(m.bands[q]);
          expect(hi).toBeGreaterThanOrEqual(m.bands[q]);
          expect(lo).toBeGreaterThanOrEqual(bins.edges[0]!);
          expect(hi).toBeLessThanOrEqual(bins.edges[bins.edges.length - 1]!);
        }
      }
    }
  });

  it("covers the cohort's actual quartile in 88–95% of simulated releases of 200 sellers at the shipped settings", () => {
    const next = byteSource(undefined, 65_536);
    const u = seeded(20_261_207);
    let covered = 0;
    let trials = 0;
    for (let run = 0; run < 120; run++) {
      const cohort = simulateCohort(u, 200);
      const release = releaseCohort(cohort, DEFAULT_RELEASE_CONFIG, next, 200);
      for (const [metric, m] of Object.entries(release.metrics)) {
        if (!m.bands) continue;
        const bins = BINS[metric as keyof typeof BINS];
        const values = cohort
          .flatMap((s) => {
            const v = usable(s[metric as keyof typeof s]);
            return v === null ? [] : [Math.min(bins.edges[bins.edges.length - 1]!, Math.max(bins.edges[0]!, v))];
          })
          .sort((a, b) => a - b);
        const intervals = interval90(bins, m.counts, VARIANCE)!;
        for (const [name, q] of QUARTILES) {
          // Every value between the ⌈qn⌉-th and the (⌊qn⌋+1)-th is a true q-quantile of the cohort.
          const low = values[Math.max(0, Math.ceil(q * values.length) - 1)]!;
          const high = values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
          const [lo, hi] = intervals[name];
          trials++;
          if (lo <= high && hi >= low) covered++;
        }
        expect(binOf(bins, values[0]!)).toBeGreaterThanOrEqual(0);
      }
    }
    const coverage = covered / trials;
    console.info(`interval90 coverage at n = 200: ${(100 * coverage).toFixed(1)}% of ${trials} quartiles`);
    expect(coverage).toBeGreaterThanOrEqual(0.88);
    expect(coverage).toBeLessThanOrEqual(0.95);
  });
});
