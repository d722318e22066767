/**
 * The comparison mechanism: JointExp (Gillenwater, Joseph and Kulesza 2021), one exponential
 * mechanism over all three quartiles at once, on the same public clamp ranges (in logarithms for
 * log-binned metrics). Bench only: it samples with floating point, which the product never does.
 */
import { BINS, clampToBins, type Metric } from "../../src/benchmarks/privacy/bins.ts";
import type { Bands } from "../../src/benchmarks/privacy/quantiles.ts";

/** A uniform double in [0, 1) from 53 random bits of crypto.getRandomValues. */
function uniform(): number {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return (words[0]! * 2 ** 21 + (words[1]! >>> 11)) / 2 ** 53;
}

function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** Picks an index with probability ∝ exp(logWeights[i]). */
function pick(logWeights: readonly number[]): number {
  let max = -Infinity;
  for (const w of logWeights) if (w > max) max = w;
  let total = 0;
  for (const w of logWeights) total += Math.exp(w - max);
  let r = uniform() * total;
  for (let i = 0; i < logWeights.length; i++) {
    r -= Math.exp(logWeights[i]! - max);
    if (r < 0) return i;
  }
  return logWeights.length - 1;
}

/**
 * JointExp's utility of outputs o_1 ≤ … ≤ o_m (o_0 = lo, o_{m+1} = hi, q_0 = 0, q_{m+1} = 1) is
 * −Σ_j |#{x in [o_{j−1}, o_j)} − (q_j − q_{j−1}) n|. Adding or removing one seller moves one count
 * by 1 and the targets by q_j − q_{j−1}, which add up to 1: the sensitivity is 2, as for replacing
 * one. Output density ∝ exp(ε u / (2 · 2)): ε-DP under add/remove, and, being an exponential
 * mechanism, ε²/8-zCDP (Cesar and Rogers 2021). The output is uniform inside the chosen gaps
 * between sorted points; k quartiles sharing a gap of length L weigh L^k / k!. Sampled by dynamic
 * programming over (quartile, gap, how many quartiles share the gap) in O(m n²).
 */
function jointExp(z: readonly number[], lo: number, hi: number, qs: readonly number[], epsilon: number): number[] {
  const n = z.length;
  const beta = epsilon / 4;
  const edges = [lo, ...z, hi];
  const logLength = Array.from({ length: n + 1 }, (_, i) => {
    const length = edges[i + 1]! - edges[i]!;
    return length > 0 ? Math.log(length) : -Infinity;
  });
  const m = qs.length;
  // W[j][c][i]: log weight of quartile j in gap i, as the c-th (1-based) of the quartiles in that gap.
  const W: number[][][] = Array.from({ length: m }, () =>
    Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(-Infinity)),
  );
  for (let i = 0; i <= n; i++) W[0]![1]![i] = logLength[i]! - beta * Math.abs(i - qs[0]! * n);
  const best: number[][] = []; // per j: logsumexp over c of W[j][c][i]
  const sumOver = (j: number) =>
    Array.from({ length: n + 1 }, (_, i) => W[j]!.reduce((s, row) => logSumExp(s, row[i]!), -Infinity));
  best.push(sumOver(0));
  for (let j = 1; j < m; j++) {
    const target = (qs[j]! - qs[j - 1]!) * n;
    for (let i = 0; i <= n; i++) {
      // The same gap as quartile j − 1: no points between them.
      for (let c = 2; c <= j + 1; c++) {
        W[j]![c]![i] = W[j - 1]![c - 1]![i]! + logLength[i]! - Math.log(c) - beta * target;
      }
      // A later gap: i − i' points between them.
      let acc = -Infinity;
      for (let prev = 0; prev < i; prev++)
        acc = logSumExp(acc, best[j - 1]![prev]! - beta * Math.abs(i - prev - target));
      W[j]![1]![i] = acc + logLength[i]!;
    }
    best.push(sumOver(j));
  }
  // The last gap to hi, then sample backwards.
  const lastTarget = (1 - qs[m - 1]!) * n;
  const gaps = new Array<number>(m);
  const counts = new Array<number>(m);
  const final = W[m - 1]!.flatMap((row, c) =>
    row.map((w, i) => ({ c, i, w: w - beta * Math.abs(n - i - lastTarget) })),
  );
  let chosen = final[pick(final.map((f) => f.w))]!;
  gaps[m - 1] = chosen.i;
  counts[m - 1] = chosen.c;
  for (let j = m - 1; j > 0; j--) {
    const { c, i } = chosen;
    if (c > 1) {
      chosen = { c: c - 1, i, w: 0 };
    } else {
      const target = (qs[j]! - qs[j - 1]!) * n;
      const options: { c: number; i: number; w: number }[] = [];
      for (let prev = 0; prev < i; prev++) {
        for (let cc = 1; cc <= j; cc++) {
          options.push({ c: cc, i: prev, w: W[j - 1]![cc]![prev]! - beta * Math.abs(i - prev - target) });
        }
      }
      chosen = options[pick(options.map((o) => o.w))]!;
    }
    gaps[j - 1] = chosen.i;
    counts[j - 1] = chosen.c;
  }
  // Uniform points inside each chosen gap, sorted (k of them in one gap: k sorted uniforms).
  const out = gaps.map((i) => edges[i]! + uniform() * (edges[i + 1]! - edges[i]!));
  return out.sort((a, b) => a - b);
}

/** p25, p50, p75 of one metric's values by JointExp at zCDP ρ: ε = √(8ρ). */
export function jointExpQuartiles(metric: Metric, values: readonly number[], rho: number): Bands {
  const bins = BINS[metric];
  const log = bins.scale === "log";
  const t = (x: number) => (log ? Math.log(x) : x);
  const z = values.map((v) => t(clampToBins(bins, v))).sort((a, b) => a - b);
  const lo = t(bins.edges[0]!);
  const hi = t(bins.edges[bins.edges.length - 1]!);
  const [p25, p50, p75] = jointExp(z, lo, hi, [0.25, 0.5, 0.75], Math.sqrt(8 * rho)).map((x) =>
    clampToBins(bins, log ? Math.exp(x) : x),
  );
  return { p25: p25!, p50: p50!, p75: p75! };
}
