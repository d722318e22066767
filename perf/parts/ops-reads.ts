/**
 * The operator's console reads on a platform of 1,000 sellers with 7 days of hourly rollups (and
 * the 7 before, which the overview compares with): GET /v1/ops/overview?period=7d, whose answer
 * each isolate keeps 30 s (the warm figure: a console polling it), and GET /v1/ops/sellers?q=, a
 * prefix search over the sellers' projection. The rows are written straight into the local D1 (as
 * the ledgers' flushes would leave them), since 1,000 sellers' fortnight through the pipeline
 * would take this machine most of an hour. Closed loops of 16 clients, in turns with hello-world.
 */

import { createPlatform, d1 } from "../../scripts/local-stack.ts";
import { generateKey } from "../../src/auth/api-key.ts";
import type { Bench, Measured } from "../bench.ts";
import { getOk, inTurns } from "../load.ts";

const PLATFORM = "ops-bench";
const SELLERS = 1_000;
const DAYS = 14;
const CONCURRENCY = 16;
const TURN_MS = 1_000;
const ROUNDS = 6;
/** 100 sellers (ob-0100 … ob-0199) start with it: the search reads a page of 25 of them. */
const PREFIX = "ob-01";
const HOUR_MS = 3_600_000;

/**
 * Each seller busy in about half the hours of each day, with figures that vary by seller and
 * hour: one statement of recursive CTEs, ~168,000 rows.
 */
function seedSql(firstHour: number): string {
  const hours = DAYS * 24;
  return `
    INSERT INTO seller_hourly (platform_id, seller_id, hour, gmv, orders, accepted, rejected, cancelled,
      cancelled_by_seller, shipped, shipped_on_time, ratings, rating_sum, visits)
    WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ${SELLERS - 1}),
      h(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM h WHERE k < ${hours - 1})
    SELECT '${PLATFORM}', printf('ob-%04d', n), ${firstHour} + k,
      ((n * 37 + k * 11) % 50 + 1) * 1000, (n * 37 + k * 11) % 5 + 1, (n * 37 + k * 11) % 5 + 1, (n + k) % 2, (n + k) % 3 = 0,
      0, (n * 37 + k * 11) % 4, (n * 37 + k * 11) % 4 - ((n * 37 + k * 11) % 4 > 0 AND (n + k) % 7 = 0), (n + k) % 3, ((n + k) % 3) * 4, 40 + (n + k) % 60
    FROM s, h WHERE (n * 7 + k * 13) % 24 < 12;
    INSERT INTO seller_health (platform_id, seller_id, health, flagged, reasons, gmv_7d, orders_7d, sla_compliance,
      acceptance_rate, cancellation_rate, avg_rating, open_alerts, payout_accrued, payout_paid, commission, fees, refunds, updated_at)
    WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ${SELLERS - 1})
    SELECT '${PLATFORM}', printf('ob-%04d', n), 40 + n % 61, n % 9 = 0, CASE WHEN n % 9 = 0 THEN '["sla.breached"]' ELSE '[]' END,
      (n * 7919) % 900000, (n * 31) % 400, 0.9 + (n % 10) / 100.0, 0.95, 0.01, 4.2, n % 9 = 0, (n * 104729) % 5000000,
      (n * 7919) % 2000000, 0, 0, 0, '2026-12-01T00:00:00.000Z'
    FROM s`;
}

export async function opsReads(bench: Bench): Promise<Measured> {
  const key = generateKey();
  const location = ["--local", "--persist-to", bench.persistTo];
  await createPlatform({ id: PLATFORM, currency: "USD", key, label: "bench", location });
  const firstHour = Math.floor(Date.now() / HOUR_MS) - DAYS * 24 + 1;
  d1(seedSql(firstHour), location);
  const [[counted]] = d1(`SELECT COUNT(*) AS n FROM seller_hourly WHERE platform_id = '${PLATFORM}'`, location) as [
    [{ n: number }],
  ];
  bench.log(`ops reads: ${SELLERS} sellers, ${counted.n} hourly rows over ${DAYS} days written to D1`);

  const { app, hello } = bench;
  const overviewUrl = `${app.url}/v1/ops/overview?period=7d`;
  const searchUrl = `${app.url}/v1/ops/sellers?q=${PREFIX}&limit=25`;
  // The first overview read sums the rows (cold); the loops then find it kept.
  const started = performance.now();
  const overview = (await getOk(overviewUrl, key)) as { sellers_active: number; trend: unknown[] };
  const coldMs = performance.now() - started;
  const page = (await getOk(searchUrl, key)) as { sellers: unknown[] };
  if (overview.sellers_active !== SELLERS || overview.trend.length !== 7 || page.sellers.length !== 25)
    throw new Error(`ops reads: unexpected answers ${JSON.stringify({ overview, page }).slice(0, 300)}`);

  const rates = await inTurns(
    {
      hello: async () => void (await getOk(hello.url)),
      overview: async () => void (await getOk(overviewUrl, key)),
      search: async () => void (await getOk(searchUrl, key)),
    },
    { concurrency: CONCURRENCY, sliceMs: TURN_MS, rounds: ROUNDS },
  );
  bench.log(
    `ops reads: overview ${rates.overview.perSecond.toFixed(0)} req/s (cold read ${coldMs.toFixed(0)} ms), ` +
      `sellers?q= ${rates.search.perSecond.toFixed(0)} req/s; hello-world in turns ${rates.hello.perSecond.toFixed(0)} req/s`,
  );
  const ratio = (perSecond: number) => `${(perSecond / rates.hello.perSecond).toFixed(2)}×`;
  return {
    json: { ...rates, overviewColdMs: coldMs, hourlyRows: counted.n },
    rows: () => [
      [
        "ops overview, 7 days of 1,000 sellers (warm)",
        `${rates.overview.perSecond.toFixed(0)} req/s`,
        ratio(rates.overview.perSecond),
        `against hello-world in turns with the reads (${rates.hello.perSecond.toFixed(0)} req/s); goal ≥ 0.5×; a cold read (${counted.n.toLocaleString("en-US")} hourly rows summed) ${coldMs.toFixed(0)} ms`,
      ],
      [
        "ops sellers search (q=, a page of 25)",
        `${rates.search.perSecond.toFixed(0)} req/s`,
        ratio(rates.search.perSecond),
        "likewise; goal ≥ 0.5×",
      ],
    ],
  };
}
