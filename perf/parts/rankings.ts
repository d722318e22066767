/**
 * The hourly rankings: the public top-products read, warm in the Workers Cache, against
 * hello-world measured in turns with it; and the job's time over synthetic rollups of 1,000 and
 * 10,000 sellers (~20 products each, 50 categories), written straight into the local D1 file.
 */

import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { wranglerConfig } from "../../scripts/local-stack.ts";
import { random } from "../../simulator/random.ts";
import { HOUR_MS } from "../../src/metrics/counters.ts";
import { type Bench, type Measured, times } from "../bench.ts";
import { ingestScenario, scenarioHistory } from "../ingest.ts";
import { getOk, inTurns } from "../load.ts";
import { SCENARIOS } from "../scenarios.ts";
import { d1File, readD1 } from "../storage.ts";

const CONCURRENCY = 16;
const TURN_MS = 1_000;
const ROUNDS = 6;
const JOB_TIMEOUT_MS = 300_000;
const CATEGORIES = 50;
const PRODUCTS_PER_SELLER = 20;
/** Hours of the week in which each synthetic product sold. */
const HOURS_SOLD = 6;

/** Fires the cron (never automatic under wrangler dev) and waits until `platform`'s run is complete. */
async function runJob(bench: Bench, platform: string): Promise<number> {
  const [cron] = (await wranglerConfig()).triggers.crons ?? [];
  const runHour = Math.floor(Date.now() / HOUR_MS);
  const start = performance.now();
  await getOk(`${bench.app.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron!)}`);
  for (const deadline = start + JOB_TIMEOUT_MS; performance.now() < deadline; await sleep(100)) {
    const done = readD1(bench.persistTo, (db) =>
      db
        .prepare(
          `SELECT r.batches <= (SELECT COUNT(*) FROM ranking_batches b WHERE b.platform_id = r.platform_id AND b.run_hour = r.run_hour) AS done
           FROM ranking_runs r WHERE r.platform_id = ? AND r.run_hour = ?`,
        )
        .get(platform, runHour),
    ) as { done: number } | undefined;
    if (done?.done) return (performance.now() - start) / 1000;
  }
  throw new Error(`the rankings of ${platform} did not complete within ${JOB_TIMEOUT_MS / 1000} s`);
}

export async function topProductsReads(bench: Bench): Promise<Measured> {
  if (!bench.posted.has("20 sellers")) {
    await ingestScenario(bench.app.url, bench.app.key, "20 sellers", scenarioHistory(SCENARIOS["20 sellers"]));
    bench.wrote();
  }
  await bench.settle(); // the rollups reach D1
  await runJob(bench, "demo");
  const [top] = readD1(bench.persistTo, (db) =>
    db
      .prepare(
        "SELECT category FROM rankings WHERE platform_id = 'demo' GROUP BY category ORDER BY COUNT(*) DESC LIMIT 1",
      )
      .all(),
  ) as { category: string }[];
  const url = `${bench.app.url}/v1/platforms/demo/categories/${encodeURIComponent(top!.category)}/top-products?window=24h`;
  await getOk(url); // warms the cache
  const rates = await inTurns(
    { hello: async () => void (await getOk(bench.hello.url)), top: async () => void (await getOk(url)) },
    { concurrency: CONCURRENCY, sliceMs: TURN_MS, rounds: ROUNDS },
  );
  bench.log(
    `top products: ${rates.top.perSecond.toFixed(0)} req/s; hello-world in turns with it ${rates.hello.perSecond.toFixed(0)} req/s`,
  );
  return {
    json: rates,
    rows: () => [
      [
        "top-products reads (public, warm cache)",
        `${rates.top.perSecond.toFixed(0)} req/s`,
        `${(rates.top.perSecond / rates.hello.perSecond).toFixed(2)}×`,
        `against hello-world measured in turns with them (${rates.hello.perSecond.toFixed(0)} req/s); goal ≥ 0.9×`,
      ],
    ],
  };
}

/**
 * Synthetic rollups for a platform of `sellers` sellers: each with PRODUCTS_PER_SELLER products
 * over 1-3 of CATEGORIES categories, each product sold in HOURS_SOLD hours of the last week.
 */
function writeRollups(bench: Bench, platform: string, sellers: number): number {
  const db = new DatabaseSync(d1File(bench.persistTo));
  const rng = random(sellers);
  const runHour = Math.floor(Date.now() / HOUR_MS);
  let rows = 0;
  try {
    db.exec("BEGIN");
    db.prepare("DELETE FROM platforms WHERE id LIKE 'rank-%'").run(); // earlier sizes are not ranked again
    db.prepare("INSERT INTO platforms (id, name, currency, created_at) VALUES (?, ?, 'USD', ?)").run(
      platform,
      platform,
      new Date().toISOString(),
    );
    const product = db.prepare(
      `INSERT OR REPLACE INTO product_hourly (platform_id, seller_id, product_id, hour, category, units, revenue)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const category = db.prepare(
      "INSERT OR REPLACE INTO categories (platform_id, category, last_hour) VALUES (?, ?, ?)",
    );
    for (let c = 0; c < CATEGORIES; c++) category.run(platform, `c-${c}`, runHour - 1);
    for (let s = 0; s < sellers; s++) {
      const own = Array.from({ length: rng.int(1, 3) }, () => `c-${rng.int(0, CATEGORIES - 1)}`);
      for (let p = 0; p < PRODUCTS_PER_SELLER; p++) {
        const price = rng.int(100, 20_000);
        const cat = rng.pick(own);
        for (let h = 0; h < HOURS_SOLD; h++) {
          const units = rng.int(1, 5);
          product.run(platform, `s-${s}`, `p-${s}-${p}`, runHour - rng.int(1, 168), cat, units, units * price);
          rows++;
        }
      }
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
  return rows;
}

export async function rankingsJob(bench: Bench): Promise<Measured> {
  const runs: { sellers: number; rows: number; seconds: number }[] = [];
  for (const sellers of [1_000, 10_000]) {
    const platform = `rank-${sellers}`;
    const rows = writeRollups(bench, platform, sellers);
    const seconds = await runJob(bench, platform);
    bench.log(
      `rankings job, ${sellers} sellers (${rows} rollup rows, ${CATEGORIES} categories): ${seconds.toFixed(1)} s`,
    );
    runs.push({ sellers, rows, seconds });
  }
  const [small, large] = runs as [(typeof runs)[0], (typeof runs)[0]];
  return {
    json: runs,
    rows: (baseline) =>
      runs.map((r) => [
        `rankings job, ${r.sellers.toLocaleString("en-US")} sellers`,
        `${r.seconds.toFixed(1)} s`,
        "",
        `${r.rows} synthetic rollup rows, ${CATEGORIES} categories, ~${PRODUCTS_PER_SELLER} products per seller` +
          (r === large
            ? `; ${times(large.seconds, small.seconds)} the 1,000-seller time; goals < 10 s and ≤ 12× (hello-world ${baseline.toFixed(0)} req/s)`
            : ""),
      ]),
  };
}
