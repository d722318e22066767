/**
 * `npm run bench:privacy`: what differential privacy costs the benchmark quartiles at the shipped
 * settings (wrangler.toml), against JointExp at the same zCDP ρ and the same neighbours (one seller
 * added or removed), the trade-off between cadence, metrics per release and cohort size within the
 * yearly cap, and the 90% intervals' coverage. Measures only; never writes a release.
 */
import { wranglerConfig } from "../../scripts/local-stack.ts";
import { benchmarkConfig, runsPerWindow } from "../../src/benchmarks/config.ts";
import { BINS, METRICS, type Metric } from "../../src/benchmarks/privacy/bins.ts";
import { interval90 } from "../../src/benchmarks/privacy/interval.ts";
import type { Bands } from "../../src/benchmarks/privacy/quantiles.ts";
import { byteSource } from "../../src/benchmarks/privacy/random-bytes.ts";
import {
  noisedCount,
  type ReleaseConfig,
  releaseCohort,
  runRho,
  usable,
} from "../../src/benchmarks/privacy/release.ts";
import { epsilonOf, gaussianVariance, rhoValue } from "../../src/benchmarks/privacy/zcdp.ts";
import { jointExpQuartiles } from "./joint-exp.ts";
import { mean, QUARTILES, quantile, quartileErrors, shareRight } from "./score.ts";
import { seeded, simulateCohort } from "./simulate.ts";

const RUNS = Number(process.env.RUNS ?? 400);
const SIZES = [50, 100, 200, 500, 1000];
/** JointExp is O(n²) per quartile set: fewer runs, and no n = 1,000, unless asked. */
const JOINT_RUNS = Number(process.env.JOINT_RUNS ?? Math.ceil(RUNS / 4));
const JOINT_SIZES = (process.env.JOINT_SIZES ?? "50,100,200,500").split(",").map(Number);

const config = benchmarkConfig((await wranglerConfig()).vars);
const shipped: ReleaseConfig = config;
const next = byteSource(undefined, 65_536);

interface Cell {
  errors: number[][]; // per quartile
  right: number[];
  released: number;
  runs: number;
  covered?: number;
  intervals?: number;
}
const newCell = (): Cell => ({ errors: [[], [], []], right: [], released: 0, runs: 0, covered: 0, intervals: 0 });

/** Cohorts of n simulated sellers; the same cohorts for every mechanism and setting at that n. */
function cohortsOf(n: number, runs: number, seed: number) {
  const u = seeded(seed + n);
  return Array.from({ length: runs }, () => {
    const cohort = simulateCohort(u, n);
    const truth = new Map(
      METRICS.map((metric) => {
        const { edges } = BINS[metric];
        const values = cohort.flatMap((s) => {
          const v = usable(s[metric]);
          return v === null ? [] : [Math.min(edges[edges.length - 1]!, Math.max(edges[0]!, v))];
        });
        return [metric, { values, sorted: [...values].sort((a, b) => a - b) }] as const;
      }),
    );
    return { cohort, truth };
  });
}

function record(cell: Cell, metric: Metric, bands: Bands | null, values: number[], sorted: number[]) {
  if (bands === null || values.length === 0) return;
  for (const [i, e] of quartileErrors(bands, sorted).entries()) cell.errors[i]!.push(e);
  cell.right.push(shareRight(metric, bands, values, sorted));
}

/**
 * The histogram at a given ρ per metric: the noised count (ρ_count) decides release at k exactly
 * as the job does (both mechanisms are gated by the same draw), then the metrics are released.
 */
function histogramCells(n: number, rhoMetric: number, metrics: readonly Metric[], withIntervals: boolean) {
  const cells = new Map(metrics.map((m) => [m, newCell()]));
  const settings: ReleaseConfig = { ...shipped, rhoMetric, metrics };
  const variance = gaussianVariance(rhoMetric);
  for (const { cohort, truth } of cohortsOf(n, RUNS, 1)) {
    const count = noisedCount(cohort.length, settings.rhoCount, next);
    for (const m of metrics) cells.get(m)!.runs++;
    if (count < settings.k) continue;
    const release = releaseCohort(cohort, settings, next, count);
    for (const metric of metrics) {
      const cell = cells.get(metric)!;
      const out = release.metrics[metric];
      const { values, sorted } = truth.get(metric)!;
      if (!out?.bands) continue;
      cell.released++;
      record(cell, metric, out.bands, values, sorted);
      if (!withIntervals) continue;
      const intervals = interval90(BINS[metric], out.counts, variance)!;
      for (const [name, q] of QUARTILES) {
        const low = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
        const high = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
        const [lo, hi] = intervals[name];
        cell.intervals!++;
        if (lo <= high && hi >= low) cell.covered!++;
      }
    }
  }
  return cells;
}

function jointCells(n: number, rho: number, metrics: readonly Metric[]) {
  const cells = new Map(metrics.map((m) => [m, newCell()]));
  for (const { cohort, truth } of cohortsOf(n, JOINT_RUNS, 1)) {
    const count = noisedCount(cohort.length, shipped.rhoCount, next);
    for (const m of metrics) cells.get(m)!.runs++;
    if (count < shipped.k) continue;
    for (const metric of metrics) {
      const { values, sorted } = truth.get(metric)!;
      if (values.length < shipped.k) continue; // the histogram's rule: too few values, no bands
      const cell = cells.get(metric)!;
      cell.released++;
      record(cell, metric, jointExpQuartiles(metric, values, rho), values, sorted);
    }
  }
  return cells;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "—");
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : "—");
const meets = (c: Cell) => c.right.length > 0 && c.errors.every((e) => quantile(e, 0.95) <= 10) && mean(c.right) >= 0.9;
const pooled = (cells: Cell[]): Cell => ({
  errors: [0, 1, 2].map((i) => cells.flatMap((c) => c.errors[i]!)),
  right: cells.flatMap((c) => c.right),
  released: cells.reduce((s, c) => s + c.released, 0),
  runs: cells.reduce((s, c) => s + c.runs, 0),
  covered: cells.reduce((s, c) => s + (c.covered ?? 0), 0),
  intervals: cells.reduce((s, c) => s + (c.intervals ?? 0), 0),
});

const started = performance.now();
const runRhoValue = rhoValue(config.runRho);
const runs = runsPerWindow(config.cadenceDays);
console.log(`# Benchmark quartiles under differential privacy (${RUNS} simulated cohorts per n)\n`);
console.log(
  `Shipped: discrete Gaussian histograms, ρ ${rhoValue(config.rhoMetric)} per metric (σ² ${
    gaussianVariance(config.rhoMetric).num / gaussianVariance(config.rhoMetric).den
  }), ρ ${rhoValue(config.rhoCount)} per noised count, k ${config.k}, metrics ${config.metrics.join(", ")}; ` +
    `a run every ${config.cadenceDays} days over ${config.periodDays} days. Per run ρ ${runRhoValue} (ε ${config.runEpsilon} at δ ${config.delta}); ` +
    `at most ${runs} runs in any 365 days: ρ ${(runs * runRhoValue).toFixed(3)}, ε ${epsilonOf(runs * runRhoValue, config.delta)} ` +
    `(cap ε ${config.capEpsilon}, ρ ${rhoValue(config.capRho)}).\n`,
);

// 1. The utility table at the shipped settings, every released metric, with the intervals' coverage.
console.log("## Utility at the shipped settings\n");
console.log("Error of each quartile in percentile points, median / 95th percentile over released runs;");
console.log("right: the mean share of sellers whose quarter read from the bands is their true one;");
console.log("released: runs whose noised count reached k and whose metric had bands; coverage: interval90.\n");
console.log("| n | metric | p25 med / p95 | p50 med / p95 | p75 med / p95 | right | released | coverage | goal |");
console.log("|---|---|---|---|---|---|---|---|---|");
const shippedCells = new Map<number, Map<Metric, Cell>>();
for (const n of SIZES) {
  const cells = histogramCells(n, config.rhoMetric, config.metrics, true);
  shippedCells.set(n, cells);
  for (const [metric, c] of [...cells, ["all", pooled([...cells.values()])] as const]) {
    const q = c.errors.map((e) => `${f1(quantile(e, 0.5))} / ${f1(quantile(e, 0.95))}`);
    const cover = c.intervals ? pct(c.covered! / c.intervals) : "—";
    const row = [n, metric, ...q, pct(mean(c.right)), pct(c.released / c.runs), cover, meets(c) ? "yes" : "no"];
    console.log(`| ${row.join(" | ")} |`);
  }
}
const smallest = SIZES.find((n) => [...shippedCells.get(n)!.values()].every(meets));
console.log(
  `\nThe goal (each quartile within ±10 points in 95% of runs, ≥ 90% right) holds for every released metric from n = ${smallest ?? "none of these"}.\n`,
);

// 2. JointExp at the same ρ per metric and the same neighbours, on the same cohorts.
const rhoMetric = rhoValue(config.rhoMetric);
console.log(
  `## Histogram against JointExp at ρ ${rhoMetric} per metric (JointExp ε = √(8ρ) = ${Math.sqrt(8 * rhoMetric).toFixed(3)})\n`,
);
console.log(
  `${JOINT_RUNS} cohorts per n, the same noised count deciding release for both; pooled over the released metrics.\n`,
);
console.log("| n | mechanism | p25 med / p95 | p50 med / p95 | p75 med / p95 | right |");
console.log("|---|---|---|---|---|---|");
for (const n of JOINT_SIZES) {
  const hist = pooled([...shippedCells.get(n)!.values()]);
  const joint = pooled([...jointCells(n, rhoMetric, config.metrics).values()]);
  for (const [name, c] of [
    ["histogram (shipped)", hist],
    ["JointExp", joint],
  ] as const) {
    const q = c.errors.map((e) => `${f1(quantile(e, 0.5))} / ${f1(quantile(e, 0.95))}`);
    console.log(`| ${n} | ${name} | ${q.join(" | ")} | ${pct(mean(c.right))} |`);
  }
}

// 3. The trade-off: what each schedule leaves per metric under the cap, and where the goal holds.
console.log("\n## The trade-off within ε 10 per 365 days (δ 1e-9)\n");
console.log(
  "ρ per metric = (cap ÷ runs in 365 days − 4 × ρ per count) ÷ metrics. Each row is scored on the metrics it",
);
console.log("would carry: all nine, the shipped five, or the first three or two of them; pooled at n = 200.\n");
console.log(
  "| schedule | metrics per release | runs in 365 days | ρ per metric | n = 200: p95 error (worst quartile) / right | goal from n |",
);
console.log("|---|---|---|---|---|---|");
const schedules: [string, number, number][] = [
  ["weekly", 7, 9],
  ["every 28 days", 28, 9],
  ["every 28 days", 28, 5],
  ["every 28 days", 28, 2],
  ["every 92 days", 92, 9],
  ["every 92 days (shipped: ρ 0.05)", 92, 5],
  ["every 92 days", 92, 3],
  ["every 183 days", 183, 9],
];
for (const [name, cadence, m] of schedules) {
  const inWindow = runsPerWindow(cadence);
  const fits = Math.floor((config.capRho / inWindow - runRho({ ...config, metrics: [] })) / m);
  const isShipped = cadence === config.cadenceDays && m === config.metrics.length;
  const perMetric = isShipped ? config.rhoMetric : fits; // the shipped ρ, a little under what fits
  if (perMetric <= 0) {
    console.log(`| ${name} | ${m} | ${inWindow} | none left | — | — |`);
    continue;
  }
  const carried = m >= METRICS.length ? METRICS : config.metrics.slice(0, m);
  const byN = new Map(SIZES.map((n) => [n, histogramCells(n, perMetric, carried, false)]));
  const at200 = pooled([...byN.get(200)!.values()]);
  const worst = Math.max(...at200.errors.map((e) => quantile(e, 0.95)));
  const from = SIZES.find((n) => [...byN.get(n)!.values()].every(meets));
  console.log(
    `| ${name} | ${m} | ${inWindow} | ${rhoValue(perMetric)} | ${f1(worst)} / ${pct(mean(at200.right))} | ${from ?? "> 1000"} |`,
  );
}
console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
