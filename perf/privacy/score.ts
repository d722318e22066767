/**
 * How good released quartiles are for a cohort whose values are known: each quartile's error in
 * percentile points, and the share of sellers whose quarter read from the bands is their true one.
 * Bench only; the product never sees what this compares against.
 */
import type { Metric } from "../../src/benchmarks/privacy/bins.ts";
import { percentile } from "../../src/benchmarks/privacy/percentile.ts";
import type { Bands } from "../../src/benchmarks/privacy/quantiles.ts";

export const QUARTILES = [
  ["p25", 0.25],
  ["p50", 0.5],
  ["p75", 0.75],
] as const;

/** Values below x and at most x, by binary search in sorted values. */
function ranks(sorted: readonly number[], x: number): { below: number; atMost: number } {
  const search = (strict: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? sorted[mid]! < x : sorted[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { below: search(true), atMost: search(false) };
}

/**
 * |true CDF at the released value − q| in percentile points, 0 when q lies within the CDF's jump
 * at a pile of equal values; per quartile, in the order of QUARTILES.
 */
export function quartileErrors(bands: Bands, sorted: readonly number[]): number[] {
  const n = sorted.length;
  return QUARTILES.map(([name, q]) => {
    const { below, atMost } = ranks(sorted, bands[name]);
    const lo = below / n;
    const hi = atMost / n;
    return 100 * (q < lo ? lo - q : q > hi ? q - hi : 0);
  });
}

/** The share of sellers whose quarter read from the bands (through `percentile`) is one their rank allows. */
export function shareRight(metric: Metric, bands: Bands, values: readonly number[], sorted: readonly number[]): number {
  const n = sorted.length;
  let right = 0;
  for (const v of values) {
    const { below, atMost } = ranks(sorted, v);
    const first = Math.min(3, Math.floor((4 * below) / n + 1e-9));
    const last = Math.max(first, Math.min(3, Math.ceil((4 * atMost) / n - 1e-9) - 1));
    const read = Math.min(3, Math.floor(percentile(metric, v, bands) / 25));
    if (read >= first && read <= last) right++;
  }
  return right / n;
}

export function quantile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
