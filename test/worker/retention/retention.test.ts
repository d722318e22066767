// The retention of D1's hourly rollups: the job rolls the hours of days older than
// HOURLY_RETENTION_DAYS (90 in wrangler.toml) into daily rows and deletes them, with the real local
// ledgers, D1 and jobs queue. The daily rows hold exactly what the hourly rows held, a second run
// changes nothing, the readers' answers inside the retention are the same, and a flush of a rolled
// day after the roll-up is refused (counted once), while one before it is rolled with the rest.
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { history } from "../../../simulator/generate.ts";
import { sellerInputs } from "../../../src/benchmarks/inputs.ts";
import { eventSchema, type SellerEvent, type SellerEventInput } from "../../../src/events/schema.ts";
import worker from "../../../src/index.ts";
import { COUNTER_FIELDS, DAY_MS, HOUR_MS } from "../../../src/metrics/counters.ts";
import { RANK_CATEGORY } from "../../../src/rankings/ranking-sql.ts";
import { lastRuns } from "../../../src/rankings/seller-ranks.ts";
import { writeDailyReports } from "../../../src/reports/report-job.ts";
import { reportKey } from "../../../src/reports/report-key.ts";
import { PRODUCT_ROWS, SELLER_ROWS } from "../../../src/reports/report-sql.ts";
import { hourlyRetentionDays, minimumRetentionDays, rankingsHistoryDays } from "../../../src/retention/days.ts";
import { rollStep } from "../../../src/retention/retention-job.ts";
import { eventsAt } from "../../support/builders.ts";
import { createPlatform, deliverJob, eventually } from "../helpers.ts";

const now = Date.now();
const today = Math.floor(now / DAY_MS);
const todayIso = new Date(today * DAY_MS).toISOString().slice(0, 10);
/** The first day the hourly rows are kept (90 days of retention). */
const keptFrom = today - 90;

/** Applies events to their sellers' ledgers and flushes each to D1, as the alarm would. */
async function applyAndFlush(platform: string, inputs: SellerEventInput[]): Promise<void> {
  const bySeller = new Map<string, SellerEvent[]>();
  for (const input of inputs) {
    const event = eventSchema.parse(input);
    bySeller.set(event.seller_id, [...(bySeller.get(event.seller_id) ?? []), event]);
  }
  for (const [seller, events] of bySeller) {
    const ledger = env.LEDGER.getByName(`${platform}:${seller}`);
    for (let i = 0; i < events.length; i += 500) await ledger.apply(platform, seller, "USD", events.slice(i, i + 500));
    await ledger.flush();
  }
}

/** Runs the retention job for `platform` as the jobs queue delivers it; it must be acked. */
async function runRetention(platform: string): Promise<void> {
  const { explicitAcks } = await deliverJob({ job: "retention.platform", platform, day: todayIso });
  expect(explicitAcks).toHaveLength(1);
}

const sums = (fields: readonly string[]) => fields.map((f) => `SUM(${f}) AS ${f}`).join(", ");

/**
 * What D1 holds of a platform, per seller-day (per product and category, per ship_hours): the
 * hourly rows summed by day, with the daily rows added. A roll-up must leave it unchanged.
 */
async function byDay(platform: string) {
  const all = async (sql: string) => (await env.DB.prepare(sql).bind(platform).all()).results;
  return {
    sellers: await all(`
      SELECT seller_id, day, ${sums(COUNTER_FIELDS)} FROM (
        SELECT seller_id, hour / 24 AS day, ${COUNTER_FIELDS.join(", ")} FROM seller_hourly WHERE platform_id = ?1
        UNION ALL SELECT seller_id, day, ${COUNTER_FIELDS.join(", ")} FROM seller_daily WHERE platform_id = ?1)
      GROUP BY seller_id, day ORDER BY seller_id, day`),
    products: await all(`
      SELECT seller_id, product_id, day, category, SUM(units) AS units, SUM(revenue) AS revenue, SUM(orders) AS orders FROM (
        SELECT seller_id, product_id, hour / 24 AS day, category, units, revenue, orders FROM product_hourly WHERE platform_id = ?1
        UNION ALL SELECT seller_id, product_id, day, category, units, revenue, orders FROM product_daily WHERE platform_id = ?1)
      GROUP BY seller_id, product_id, day, category ORDER BY seller_id, product_id, day, category`),
    shipping: await all(`
      SELECT seller_id, day, ship_hours, SUM(orders) AS orders FROM (
        SELECT seller_id, hour / 24 AS day, ship_hours, orders FROM ship_hourly WHERE platform_id = ?1
        UNION ALL SELECT seller_id, day, ship_hours, orders FROM ship_daily WHERE platform_id = ?1)
      GROUP BY seller_id, day, ship_hours ORDER BY seller_id, day, ship_hours`),
  };
}

/** Every row of the rollup tables of a platform, hourly and daily, as stored. */
async function rowsOf(platform: string) {
  const tables = ["seller_hourly", "product_hourly", "ship_hourly", "seller_daily", "product_daily", "ship_daily"];
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    rows[table] = (
      await env.DB.prepare(`SELECT * FROM ${table} WHERE platform_id = ? ORDER BY 1, 2, 3, 4, 5`).bind(platform).all()
    ).results;
  }
  return rows;
}

const count = async (sql: string, ...params: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>())!.n;

/** What every reader of the hourly rows answers for its own period, the benchmarks' from the oldest kept day. */
async function readersOf(platform: string) {
  const yesterday = (today - 1) * 24;
  const { results: sellers } = await env.DB.prepare("SELECT seller_id FROM sellers WHERE platform_id = ? ORDER BY 1")
    .bind(platform)
    .all<{ seller_id: string }>();
  const ids = JSON.stringify(sellers.map((s) => s.seller_id));
  const { results: categories } = await env.DB.prepare(
    "SELECT category FROM categories WHERE platform_id = ? ORDER BY 1",
  )
    .bind(platform)
    .all<{ category: string }>();
  const rankings = [];
  for (const { category } of categories) {
    rankings.push(
      (
        await env.DB.prepare(RANK_CATEGORY)
          .bind(platform, category, today * 24)
          .all()
      ).results,
    );
  }
  return {
    benchmarks: await sellerInputs(env.DB, platform, (today - 28) * 24, today * 24),
    oldestKept: await sellerInputs(env.DB, platform, keptFrom * 24, today * 24),
    rankings,
    reportSellers: (
      await env.DB.prepare(SELLER_ROWS)
        .bind(platform, ids, yesterday, yesterday + 24)
        .all()
    ).results,
    reportProducts: (
      await env.DB.prepare(PRODUCT_ROWS)
        .bind(platform, ids, yesterday, yesterday + 24)
        .all()
    ).results,
  };
}

describe("rolling hourly rows past the retention into daily rows", () => {
  const platform = "rolled";
  let before: Awaited<ReturnType<typeof byDay>>;
  let readersBefore: Awaited<ReturnType<typeof readersOf>>;
  let hourlyKept: Awaited<ReturnType<typeof rowsOf>>;

  beforeAll(async () => {
    await createPlatform(platform);
    // Five days straddling the retention's edge (rolled and kept), and the last four days.
    const old = history({ seed: 21, sellers: 8, days: 5, ordersPerDay: 160, endMs: (keptFrom + 2) * DAY_MS });
    const recent = history({ seed: 22, sellers: 8, days: 4, ordersPerDay: 160, endMs: now - 60_000 });
    await applyAndFlush(platform, [...old, ...recent]);
    before = await byDay(platform);
    readersBefore = await readersOf(platform);
    const rows = await rowsOf(platform);
    hourlyKept = {
      seller_hourly: rows.seller_hourly!.filter((r) => (r as { hour: number }).hour >= keptFrom * 24),
      product_hourly: rows.product_hourly!.filter((r) => (r as { hour: number }).hour >= keptFrom * 24),
      ship_hourly: rows.ship_hourly!.filter((r) => (r as { hour: number }).hour >= keptFrom * 24),
    };
    await runRetention(platform);
  }, 120_000);

  it("holds per seller, product and day exactly what the hourly rows it replaced held", async () => {
    // Some days were rolled and some kept, so the comparison can fail either way.
    expect(await count("SELECT COUNT(*) AS n FROM seller_daily WHERE platform_id = ?", platform)).toBeGreaterThan(8);
    expect(await count("SELECT COUNT(*) AS n FROM product_daily WHERE platform_id = ?", platform)).toBeGreaterThan(8);
    expect(await count("SELECT COUNT(*) AS n FROM ship_daily WHERE platform_id = ?", platform)).toBeGreaterThan(8);
    expect(await byDay(platform)).toEqual(before);
  });

  it("leaves no hourly row before the retention and every one inside it as it was", async () => {
    const rows = await rowsOf(platform);
    expect({
      seller_hourly: rows.seller_hourly,
      product_hourly: rows.product_hourly,
      ship_hourly: rows.ship_hourly,
    }).toEqual(hourlyKept);
    for (const table of ["seller_daily", "product_daily", "ship_daily"]) {
      expect(
        await count(`SELECT COUNT(*) AS n FROM ${table} WHERE platform_id = ? AND day >= ?`, platform, keptFrom),
      ).toBe(0);
    }
  });

  it("changes nothing when run again", async () => {
    const rows = await rowsOf(platform);
    await runRetention(platform);
    await runRetention(platform);
    expect(await rowsOf(platform)).toEqual(rows);
  });

  it("refuses to write again the reports of a day past the retention, and writes those of the oldest kept day", async () => {
    const isoDay = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
    const job = { job: "reports.day", platform, force: true } as const;
    await expect(writeDailyReports(env, { ...job, date: isoDay(keptFrom - 1) })).rejects.toThrow(
      /past HOURLY_RETENTION_DAYS/,
    );
    expect(await env.BUCKET.head(reportKey(platform, isoDay(keptFrom - 1), "sellers"))).toBeNull();
    await writeDailyReports(env, { ...job, date: isoDay(keptFrom) });
    const report = await env.BUCKET.get(reportKey(platform, isoDay(keptFrom), "sellers"));
    expect((await report!.text()).trimEnd().split("\r\n").length).toBeGreaterThan(1);
  });

  it("leaves every reader's answer for its period unchanged", async () => {
    const readers = await readersOf(platform);
    expect(readers.benchmarks.length).toBeGreaterThan(0);
    expect(readers.oldestKept.length).toBeGreaterThan(0);
    expect(readers.rankings.flat().length).toBeGreaterThan(0);
    expect(readers.reportSellers.length).toBeGreaterThan(0);
    expect(readers).toEqual(readersBefore);
  });
});

describe("a flush of a day past the retention", () => {
  const platform = "late";
  const day = keptFrom - 5;
  const { placed, step, cancelled } = eventsAt(day * DAY_MS + 10 * HOUR_MS);
  const sellerDay = (seller: string) =>
    env.DB.prepare(
      `SELECT ${COUNTER_FIELDS.join(", ")} FROM seller_daily WHERE platform_id = ? AND seller_id = ? AND day = ?`,
    )
      .bind(platform, seller, day)
      .first();
  const hourlyOfDay = (seller: string) =>
    count(
      `SELECT (SELECT COUNT(*) FROM seller_hourly WHERE platform_id = ?1 AND seller_id = ?2 AND hour / 24 = ?3)
        + (SELECT COUNT(*) FROM product_hourly WHERE platform_id = ?1 AND seller_id = ?2 AND hour / 24 = ?3)
        + (SELECT COUNT(*) FROM ship_hourly WHERE platform_id = ?1 AND seller_id = ?2 AND hour / 24 = ?3) AS n`,
      platform,
      seller,
      day,
    );
  const productsOfDay = async (seller: string) =>
    (
      await env.DB.prepare(
        "SELECT product_id, units, revenue, orders FROM product_daily WHERE platform_id = ? AND seller_id = ? AND day = ?",
      )
        .bind(platform, seller, day)
        .all()
    ).results;
  /** A shipment and a delivery today of an order placed on the rolled day, in minutes from that day's 10:00. */
  const lateMinutes = Math.floor((now - 5 * 60_000 - (day * DAY_MS + 10 * HOUR_MS)) / 60_000);

  beforeAll(async () => {
    await createPlatform(platform);
  });

  it("after the roll-up is refused: the daily row is counted once, and later hours are still written", async () => {
    const seller = "after";
    await applyAndFlush(platform, [
      placed(seller, "o-1", 0),
      step("order.accepted", seller, "o-1", 5),
      placed(seller, "o-2", 70),
    ]);
    await runRetention(platform);
    const rolled = await sellerDay(seller);
    expect(rolled).toMatchObject({ orders: 2, accepted: 1, shipped: 0, gmv: 6000 });
    expect(await hourlyOfDay(seller)).toBe(0);

    const products = await productsOfDay(seller);
    expect(products).toEqual([{ product_id: "p-1", units: 4, revenue: 6000, orders: 2 }]);

    // Today one order ships and is delivered, the other is cancelled: their placement day's
    // shipped and cancelled counts and its product row change in the ledger.
    await applyAndFlush(platform, [
      step("order.shipped", seller, "o-1", lateMinutes),
      step("order.delivered", seller, "o-1", lateMinutes + 1),
      cancelled(seller, "o-2", lateMinutes, "buyer"),
    ]);
    expect(
      (await env.LEDGER.getByName(`${platform}:${seller}`).productTotals(day * 24, day * 24 + 24))[0],
    ).toMatchObject({ product_id: "p-1", units: 2 });
    expect(await hourlyOfDay(seller)).toBe(0);
    expect(await sellerDay(seller)).toEqual(rolled);
    expect(await productsOfDay(seller)).toEqual(products);
    await runRetention(platform);
    expect(await sellerDay(seller)).toEqual(rolled);
    // The delivery's payout is dated today, inside the retention: that hour is flushed as ever.
    const payout = await count(
      "SELECT SUM(payout_accrued) AS n FROM seller_hourly WHERE platform_id = ? AND seller_id = ? AND hour >= ?",
      platform,
      seller,
      keptFrom * 24,
    );
    expect(payout).toBe(2700);
  });

  it("before the roll-up is rolled with the rest of its day", async () => {
    const seller = "before";
    await applyAndFlush(platform, [placed(seller, "o-1", 0), step("order.accepted", seller, "o-1", 5)]);
    await applyAndFlush(platform, [step("order.shipped", seller, "o-1", lateMinutes)]);
    await runRetention(platform);
    expect(await sellerDay(seller)).toMatchObject({ orders: 1, accepted: 1, shipped: 1, shipped_on_time: 0 });
    expect(await hourlyOfDay(seller)).toBe(0);
  });
});

describe("the job's bounds", () => {
  const platform = "backlog";
  const sellers = 120;
  const days = 45;

  beforeAll(async () => {
    await createPlatform(platform);
    // A backlog of 120 sellers × 45 days past the retention (an hour of each), more than one invocation rolls.
    const rows = [];
    for (let s = 0; s < sellers; s++) {
      for (let d = 0; d < days; d++) rows.push([`s-${String(s).padStart(3, "0")}`, (keptFrom - 1 - d) * 24 + (s % 24)]);
    }
    await env.DB.prepare(
      `INSERT INTO seller_hourly (platform_id, seller_id, hour, orders, gmv)
       SELECT ?1, value ->> 0, value ->> 1, 1, 100 FROM json_each(?2)`,
    )
      .bind(platform, JSON.stringify(rows))
      .run();
  });

  it("rolls at most 50 sellers of one day per step", async () => {
    const oldest = keptFrom - days;
    expect(await rollStep(env.DB, platform, keptFrom)).toBe(50);
    expect(await count("SELECT COUNT(*) AS n FROM seller_daily WHERE platform_id = ?", platform)).toBe(50);
    expect(
      await count("SELECT COUNT(*) AS n FROM seller_daily WHERE platform_id = ? AND day = ?", platform, oldest),
    ).toBe(50);
  });

  it("hands what one invocation leaves to the next message, until every seller-day is rolled", async () => {
    await runRetention(platform);
    await eventually(async () => {
      expect(await count("SELECT COUNT(*) AS n FROM seller_hourly WHERE platform_id = ?", platform)).toBe(0);
    }, 60_000);
    expect(await count("SELECT COUNT(*) AS n FROM seller_daily WHERE platform_id = ?", platform)).toBe(sellers * days);
    expect(await count("SELECT SUM(orders) AS n FROM seller_daily WHERE platform_id = ?", platform)).toBe(
      sellers * days,
    );
  }, 90_000);
});

describe("the rankings history past RANKINGS_HISTORY_DAYS (7)", () => {
  const platform = "ranked";
  const old = (today - 7) * 24 - 5;
  const kept = (today - 7) * 24 + 1;

  beforeAll(async () => {
    await createPlatform(platform);
    // Two runs before the kept days (one with more list rows than a step deletes) and one inside them.
    const lists = (runHour: number, categories: number) =>
      Array.from({ length: categories * 600 }, (_, i) => [
        runHour,
        `c-${Math.floor(i / 600)}`,
        ["1h", "24h", "7d"][Math.floor(i / 200) % 3],
        ["units", "revenue"][Math.floor(i / 100) % 2],
        (i % 100) + 1,
      ]);
    for (const [runHour, categories] of [
      [old - 24, 1],
      [old, 10],
      [kept, 2],
    ] as const) {
      await env.DB.batch([
        env.DB.prepare(
          "INSERT INTO ranking_runs (platform_id, run_hour, generated_at, batches) VALUES (?1, ?2, 'then', 1)",
        ).bind(platform, runHour),
        env.DB.prepare("INSERT INTO ranking_batches (platform_id, run_hour, batch) VALUES (?1, ?2, 0)").bind(
          platform,
          runHour,
        ),
        env.DB.prepare(
          `INSERT INTO rankings (platform_id, run_hour, category, "window", "by", rank, product_id, units, revenue)
           SELECT ?1, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, 'p', 1, 1 FROM json_each(?2)`,
        ).bind(platform, JSON.stringify(lists(runHour, categories))),
      ]);
    }
  });

  it("is deleted, a run's lists before the run, and the runs inside it are kept whole", async () => {
    const runsOf = async (table: string) =>
      (
        await env.DB.prepare(
          `SELECT run_hour, COUNT(*) AS n FROM ${table} WHERE platform_id = ? GROUP BY run_hour ORDER BY run_hour`,
        )
          .bind(platform)
          .all()
      ).results;
    expect(await runsOf("rankings")).toEqual([
      { run_hour: old - 24, n: 600 },
      { run_hour: old, n: 6000 },
      { run_hour: kept, n: 1200 },
    ]);
    await runRetention(platform);
    expect(await runsOf("rankings")).toEqual([{ run_hour: kept, n: 1200 }]);
    expect(await runsOf("ranking_runs")).toEqual([{ run_hour: kept, n: 1 }]);
    expect(await runsOf("ranking_batches")).toEqual([{ run_hour: kept, n: 1 }]);
    expect(await lastRuns(env.DB, platform)).toEqual([{ runHour: kept, generatedAt: "then" }]);
  });
});

describe("the hourly cron", () => {
  it("rolls every platform's days past the retention", async () => {
    await createPlatform("cron");
    const old = (keptFrom - 1) * 24 + 3;
    await env.DB.prepare(
      "INSERT INTO seller_hourly (platform_id, seller_id, hour, orders) VALUES ('cron', 's', ?, 2), ('cron', 's', ?, 1)",
    )
      .bind(old, keptFrom * 24)
      .run();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "5 * * * *" }), env);
    await eventually(async () => {
      expect(
        await count("SELECT SUM(orders) AS n FROM seller_daily WHERE platform_id = 'cron' AND day = ?", keptFrom - 1),
      ).toBe(2);
    });
    expect(await count("SELECT SUM(orders) AS n FROM seller_hourly WHERE platform_id = 'cron'")).toBe(1);
  });
});

describe("the retention's length", () => {
  it("of the rankings history is two days at least", () => {
    expect(() => rankingsHistoryDays({ RANKINGS_HISTORY_DAYS: "1" })).toThrow();
    expect(rankingsHistoryDays({ RANKINGS_HISTORY_DAYS: "2" })).toBe(2);
  });

  it("is refused when a reader of the hourly rows needs more", () => {
    // The overview's 60 days (the 30 and the 30 before), the benchmarks' period when longer.
    expect(minimumRetentionDays(28)).toBe(62);
    expect(minimumRetentionDays(3)).toBe(62);
    expect(minimumRetentionDays(90)).toBe(92);
    expect(() => hourlyRetentionDays({ HOURLY_RETENTION_DAYS: "61", BENCHMARK_PERIOD_DAYS: "28" })).toThrow(
      /need 62 at least/,
    );
    expect(hourlyRetentionDays({ HOURLY_RETENTION_DAYS: "62", BENCHMARK_PERIOD_DAYS: "28" })).toBe(62);
  });
});
