/**
 * The retention job: a platform's hourly rollups (seller_hourly, product_hourly, ship_hourly) of
 * days older than HOURLY_RETENTION_DAYS are rolled into daily rows (src/retention/daily-tables.ts) and
 * deleted. It rolls one seller-day at a time, oldest first: a step takes up to SELLERS_PER_STEP
 * sellers of the oldest day left and, in one D1 batch (one transaction), adds their hours to the
 * daily rows and deletes them, so a step is all or nothing and a repeated job finds nothing left
 * to roll. Each statement writes one day of at most SELLERS_PER_STEP sellers; an invocation takes
 * at most STEPS_PER_INVOCATION steps and hands what is left to the next message.
 *
 * A flush of an hour of a rolled seller-day is refused by the flush itself (src/ledger/flush.ts),
 * inside D1, so the daily row is never counted twice whatever the order of the two. Then the
 * hourly rankings history (rankings, ranking_runs, ranking_batches) of runs older than
 * RANKINGS_HISTORY_DAYS is deleted, a run at a time, oldest first; then everything else past its
 * retention (row-sweeps.ts, object-sweeps.ts), a batch at a time.
 * Never reads or writes a day inside the retention: the readers of the hourly rows need them.
 */
import { COUNTER_FIELDS, DAY_MS } from "../metrics/counters.ts";
import { type RollHourly, sendJobs } from "../queues/job-messages.ts";
import { hourlyRetentionDays, rankingsHistoryDays } from "./days.ts";
import { archiveSweep, deadLetterSweep, importSweeps } from "./object-sweeps.ts";
import { rowSweeps } from "./row-sweeps.ts";

/**
 * Sellers rolled per step: each step writes at most a day of this many sellers' rows (it reads their
 * product_hourly rows of the whole window: that table's key puts the product before the hour).
 */
const SELLERS_PER_STEP = 50;
/** Steps per invocation: a step is a query and a batch of at most six statements, under 1,000 queries in all. */
const STEPS_PER_INVOCATION = 100;
/** Rows of the rankings history deleted per step (a run has up to 600 per category). */
const RANKINGS_PER_STEP = 5_000;

/** The first epoch day whose hours are kept when the job runs on `day` (YYYY-MM-DD, UTC). */
function keptFromDay(day: string, retentionDays: number): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS - retentionDays;
}

/** The oldest hourly rows before the kept days (?1 platform, ?2 the first kept hour), by the (platform, hour) index. */
const OLDEST = `
  SELECT seller_id, hour FROM seller_hourly WHERE platform_id = ?1 AND hour < ?2 ORDER BY hour LIMIT ${SELLERS_PER_STEP}`;

/** ?1 platform, ?2 the sellers (a JSON array), ?3 the epoch day. */
const OF_DAY =
  "platform_id = ?1 AND seller_id IN (SELECT value FROM json_each(?2)) AND hour >= ?3 * 24 AND hour < ?3 * 24 + 24";

const added = (fields: readonly string[]) => fields.map((f) => `${f} = ${f} + excluded.${f}`).join(", ");
const sums = (fields: readonly string[]) => fields.map((f) => `SUM(${f})`).join(", ");

/**
 * One step's statements: each table's hours of the sellers' day added to its daily rows, then
 * deleted. Added, not replaced: a seller-day is rolled once, so any hourly row left of it has never
 * been counted in a daily row.
 */
const ROLL = [
  `INSERT INTO seller_daily (platform_id, seller_id, day, ${COUNTER_FIELDS.join(", ")})
   SELECT ?1, seller_id, ?3, ${sums(COUNTER_FIELDS)} FROM seller_hourly WHERE ${OF_DAY} GROUP BY seller_id
   ON CONFLICT (platform_id, seller_id, day) DO UPDATE SET ${added(COUNTER_FIELDS)}`,
  `INSERT INTO product_daily (platform_id, seller_id, product_id, day, category, units, revenue, orders)
   SELECT ?1, seller_id, product_id, ?3, category, ${sums(["units", "revenue", "orders"])}
   FROM product_hourly WHERE ${OF_DAY} GROUP BY seller_id, product_id, category
   ON CONFLICT (platform_id, seller_id, product_id, day, category) DO UPDATE SET ${added(["units", "revenue", "orders"])}`,
  `INSERT INTO ship_daily (platform_id, seller_id, day, ship_hours, orders)
   SELECT ?1, seller_id, ?3, ship_hours, SUM(orders) FROM ship_hourly WHERE ${OF_DAY} GROUP BY seller_id, ship_hours
   ON CONFLICT (platform_id, seller_id, day, ship_hours) DO UPDATE SET ${added(["orders"])}`,
  `DELETE FROM seller_hourly WHERE ${OF_DAY}`,
  `DELETE FROM product_hourly WHERE ${OF_DAY}`,
  `DELETE FROM ship_hourly WHERE ${OF_DAY}`,
];

/**
 * Rolls one step: some sellers of the oldest day before `keptFrom` (epoch days). Returns how many
 * seller-days it rolled (0: nothing is left to roll).
 *
 * A seller's product and shipping rows of an hour come with a seller_hourly row of that hour (both
 * are dated by an order's placement, which counts in `orders`), so the sellers are found in
 * seller_hourly alone.
 */
export async function rollStep(db: D1Database, platform: string, keptFrom: number): Promise<number> {
  const { results } = await db
    .prepare(OLDEST)
    .bind(platform, keptFrom * 24)
    .all<{ seller_id: string; hour: number }>();
  if (results.length === 0) return 0;
  const day = Math.floor(results[0]!.hour / 24);
  const sellers = [...new Set(results.filter((r) => Math.floor(r.hour / 24) === day).map((r) => r.seller_id))];
  await db.batch(ROLL.map((q) => db.prepare(q).bind(platform, JSON.stringify(sellers), day)));
  return sellers.length;
}

/** The platform's oldest ranking run before ?2 (epoch hours), by the runs' key. */
const OLDEST_RUN = "SELECT MIN(run_hour) AS run_hour FROM ranking_runs WHERE platform_id = ?1 AND run_hour < ?2";

/**
 * One step of forgetting a run (?1 platform, ?2 its hour): some of its lists' rows, then the run
 * itself once they are gone. rank_changes (a few rows a run, read by nothing yet) are kept.
 */
const FORGET_RUN = [
  `DELETE FROM rankings WHERE rowid IN (
     SELECT rowid FROM rankings WHERE platform_id = ?1 AND run_hour = ?2 LIMIT ${RANKINGS_PER_STEP})`,
  `DELETE FROM ranking_batches WHERE platform_id = ?1 AND run_hour = ?2
     AND NOT EXISTS (SELECT 1 FROM rankings WHERE platform_id = ?1 AND run_hour = ?2)`,
  `DELETE FROM ranking_runs WHERE platform_id = ?1 AND run_hour = ?2
     AND NOT EXISTS (SELECT 1 FROM rankings WHERE platform_id = ?1 AND run_hour = ?2)`,
];

/**
 * Forgets some of the rankings history before `keptFrom` (epoch days): a run's lists are read only
 * as the last two complete runs (a seller's ranks) and as the run before the next one (rank
 * changes), and its figures are the rollups', so an old run is deleted, not rolled.
 * Returns whether there was any to forget.
 */
async function forgetRunStep(db: D1Database, platform: string, keptFrom: number): Promise<boolean> {
  const oldest = await db
    .prepare(OLDEST_RUN)
    .bind(platform, keptFrom * 24)
    .first<{ run_hour: number | null }>();
  if (oldest?.run_hour == null) return false;
  await db.batch(FORGET_RUN.map((q) => db.prepare(q).bind(platform, oldest.run_hour)));
  return true;
}

/**
 * The job's step: roll the hourly rollups, forget the rankings history, then sweep everything else
 * past its retention (row-sweeps.ts, object-sweeps.ts), until nothing is left or the invocation
 * has done its share, then hand on. Each sweep step is at most four D1 statements or R2 calls.
 */
export async function runRetention(env: Env, job: RollHourly): Promise<void> {
  const keptFrom = keptFromDay(job.day, hourlyRetentionDays(env));
  const runsKeptFrom = keptFromDay(job.day, rankingsHistoryDays(env));
  const nowMs = Date.parse(`${job.day}T00:00:00Z`);
  const sweeps = [
    ...rowSweeps(env, job.platform, nowMs),
    deadLetterSweep(env, job.platform, nowMs),
    ...importSweeps(env, job.platform, nowMs),
    archiveSweep(env, job.platform, nowMs),
  ];
  let rolled = false;
  for (let step = 0; step < STEPS_PER_INVOCATION; step++) {
    if (
      !rolled &&
      ((await rollStep(env.DB, job.platform, keptFrom)) > 0 ||
        (await forgetRunStep(env.DB, job.platform, runsKeptFrom)))
    )
      continue;
    rolled = true;
    const sweep = sweeps[0];
    if (!sweep) return;
    if (!(await sweep())) sweeps.shift();
  }
  await sendJobs(env.JOBS, [job]);
}
