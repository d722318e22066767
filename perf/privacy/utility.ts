/**
 * `node perf/privacy/utility.ts`: what differential privacy costs the benchmark quartiles, the product's
 * noisy histogram beside exponential-mechanism quantiles at equal ε. Measures only; never writes a release.
 */
import { METRICS, type Metric } from "../../src/benchmarks/privacy/bins.ts";
import { parseEpsilon } from "../../src/benchmarks/privacy/epsilon.ts";
import { percentile } from "../../src/benchmarks/privacy/percentile.ts";
import type { Bands } from "../../src/benchmarks/privacy/quantiles.ts";
import { byteSource } from "../../src/benchmarks/privacy/random-bytes.ts";
import { releaseCohort } from "../../src/benchmarks/privacy/release.ts";
import { expQuartiles } from "./exp-quantile.ts";
import { seeded, simulateCohort } from "./simulate.ts";

/*
 * err95: the 95th percentile, over runs and the three quartiles, of |true empirical CDF at the
 * released value − q| in percentile points (0 when q lies within the CDF's jump at a pile of
 * equal values). right: the mean share of sellers whose quartile read from the released bands
 * (through `percentile`) is one their true rank allows. RUNS=… changes the runs per cohort size.
 */
const SIZES = [50, 200, 1000];
const EPSILONS = ["0.1", "0.25", "0.35", "0.4", "0.45", "0.5", "0.75", "1", "2"];
const RUNS = Number(process.env.RUNS ?? 600);
const MECHANISMS = ["hist", "expq"] as const;
type Mechanism = (typeof MECHANISMS)[number];

interface Cell {
  errors: number[];
  right: number[];
  missing: number;
}

const cells = new Map<string, Cell>();
const cellOf = (n: number, epsilon: string, mechanism: Mechanism, metric: Metric): Cell => {
  const key = `${n}|${epsilon}|${mechanism}|${metric}`;
  let cell = cells.get(key);
  if (!cell) {
    cell = { errors: [], right: [], missing: 0 };
    cells.set(key, cell);
  }
  return cell;
};

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

function record(cell: Cell, bands: Bands | null, values: readonly number[], sorted: readonly number[], metric: Metric) {
  if (bands === null) {
    cell.missing++;
    return;
  }
  const n = sorted.length;
  for (const [q, x] of [
    [0.25, bands.p25],
    [0.5, bands.p50],
    [0.75, bands.p75],
  ] as const) {
    const { below, atMost } = ranks(sorted, x);
    const lo = below / n;
    const hi = atMost / n;
    cell.errors.push(100 * (q < lo ? lo - q : q > hi ? q - hi : 0));
  }
  let right = 0;
  for (const v of values) {
    const { below, atMost } = ranks(sorted, v);
    const first = Math.min(3, Math.floor((4 * below) / n + 1e-9));
    const last = Math.max(first, Math.min(3, Math.ceil((4 * atMost) / n - 1e-9) - 1));
    const read = Math.min(3, Math.floor(percentile(metric, v, bands) / 25));
    if (read >= first && read <= last) right++;
  }
  cell.right.push(right / values.length);
}

function quantile95(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const started = performance.now();
const next = byteSource(undefined, 65_536);
const u = seeded(20_260_519);
for (const n of SIZES) {
  for (let run = 0; run < RUNS; run++) {
    const cohort = simulateCohort(u, n);
    const truth = METRICS.map((metric) => {
      const values = cohort.flatMap((s) => (s[metric] === null || s[metric] === undefined ? [] : [s[metric]]));
      return { metric, values, sorted: [...values].sort((a, b) => a - b) };
    });
    for (const epsilon of EPSILONS) {
      const micro = parseEpsilon(epsilon);
      // The count's noise is not what is measured here: every cohort is released (k = 20, count = n).
      const release = releaseCohort(
        cohort,
        { k: 20, epsilonCount: micro, epsilonPerMetric: micro, metrics: METRICS },
        next,
        n,
      );
      for (const { metric, values, sorted } of truth) {
        if (values.length === 0) continue;
        record(cellOf(n, epsilon, "hist", metric), release.metrics[metric]?.bands ?? null, values, sorted, metric);
        record(
          cellOf(n, epsilon, "expq", metric),
          expQuartiles(metric, values, Number(epsilon)),
          values,
          sorted,
          metric,
        );
      }
    }
  }
}

const pooled = (n: number, epsilon: string, mechanism: Mechanism, metrics: readonly Metric[]) => {
  const parts = metrics.map((m) => cellOf(n, epsilon, mechanism, m));
  return {
    err95: quantile95(parts.flatMap((c) => c.errors)),
    right: mean(parts.map((c) => mean(c.right))),
    missing: parts.reduce((s, c) => s + c.missing, 0) / (parts.length * RUNS),
  };
};
const fmt = (x: number) => x.toFixed(1);
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

function table(title: string, metrics: readonly Metric[]) {
  console.log(`\n### ${title}\n`);
  console.log("| n | ε per metric | hist err95 | hist right | expq err95 | expq right | winner |");
  console.log("|---|---|---|---|---|---|---|");
  for (const n of SIZES) {
    for (const epsilon of EPSILONS) {
      const h = pooled(n, epsilon, "hist", metrics);
      const e = pooled(n, epsilon, "expq", metrics);
      const winner =
        h.err95 < e.err95 && h.right >= e.right ? "hist" : e.err95 < h.err95 && e.right >= h.right ? "expq" : "—";
      const note = h.missing >= 0.005 ? ` (no bands ${pct(h.missing)})` : "";
      const cellsOfRow = [n, epsilon, `${fmt(h.err95)}${note}`, pct(h.right), fmt(e.err95), pct(e.right), winner];
      console.log(`| ${cellsOfRow.join(" | ")} |`);
    }
  }
}

console.log(`# Benchmark quartiles under differential privacy (${RUNS} runs per n)`);
table("gmv (log-normal, median $5,000, σ = 1.2)", ["gmv"]);
table("all nine metrics, pooled (err95 over metrics too; right averaged over metrics)", METRICS);

console.log("\n### Per metric at n = 200\n");
console.log(`| metric | ${EPSILONS.map((e) => `ε ${e} hist err95 / right`).join(" | ")} |`);
console.log(`|---|${EPSILONS.map(() => "---").join("|")}|`);
for (const metric of METRICS) {
  const row = EPSILONS.map((e) => {
    const h = pooled(200, e, "hist", [metric]);
    return `${fmt(h.err95)} / ${pct(h.right)}`;
  });
  console.log(`| ${metric} | ${row.join(" | ")} |`);
}

console.log("\n### The goal at n = 200: err95 ≤ 10 and right ≥ 90%\n");
for (const [label, metrics] of [
  ["gmv", ["gmv"]],
  ["all nine metrics", METRICS],
] as const) {
  for (const mechanism of MECHANISMS) {
    const smallest = EPSILONS.find((e) => {
      const p = pooled(200, e, mechanism, metrics);
      return p.err95 <= 10 && p.right >= 0.9;
    });
    console.log(`- ${label}, ${mechanism}: smallest ε per metric on the grid that meets it: ${smallest ?? "none"}`);
  }
}
for (const mechanism of MECHANISMS) {
  const smallest = EPSILONS.find((e) =>
    METRICS.every((m) => {
      const p = pooled(200, e, mechanism, [m]);
      return p.err95 <= 10 && p.right >= 0.9;
    }),
  );
  console.log(`- every metric on its own, ${mechanism}: smallest ε per metric on the grid: ${smallest ?? "none"}`);
}
console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
