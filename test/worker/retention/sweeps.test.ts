// Everything that grows has a retention: the hourly retention job deletes, per platform, what is past
// its wrangler.toml value (audit, deliveries and deleted webhooks, resolved alerts, dead letters and
// their R2 copies, imports and their files, rank changes, categories, rebuilds, daily rollups, the
// event archive), the reports job the reports past theirs, and KV's top lists expire. Each case
// keeps a row just inside its retention and another platform's old row: only what is old goes.
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { archiveKey } from "../../../src/archive/archive-keys.ts";
import { type Retained, retentionDays } from "../../../src/db/retentions.ts";
import { deadLetterKey } from "../../../src/dead-letters/record.ts";
import { importKey } from "../../../src/imports/import-upload.ts";
import worker from "../../../src/index.ts";
import { DAY_MS, HOUR_MS } from "../../../src/metrics/counters.ts";
import { rankingKey } from "../../../src/rankings/published.ts";
import { reportKey } from "../../../src/reports/report-key.ts";
import { forgetOldReports } from "../../../src/reports/report-retention.ts";
import { createPlatform, deliverJob } from "../helpers.ts";

const today = Math.floor(Date.now() / DAY_MS);
const todayIso = new Date(today * DAY_MS).toISOString().slice(0, 10);
/** The start of the day `days` before today, as ISO text, an epoch hour, an epoch day and a date. */
const ago = (days: number) => new Date((today - days) * DAY_MS).toISOString();
const hourAgo = (days: number) => ((today - days) * DAY_MS) / HOUR_MS;
const dateAgo = (days: number) => ago(days).slice(0, 10);
/** A retention's days (wrangler.toml): rows one day older go, one day younger stay. */
const kept = (what: Retained) => retentionDays(env, what);

async function runRetention(platform: string): Promise<void> {
  const { explicitAcks } = await deliverJob({ job: "retention.platform", platform, day: todayIso });
  expect(explicitAcks).toHaveLength(1);
}

const run = (sql: string, ...params: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...params)
    .run();
const column = async (sql: string, ...params: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<Record<string, unknown>>()
  ).results.map((r) => Object.values(r)[0]);
const exists = async (key: string) => (await env.BUCKET.head(key)) !== null;

/** Old rows (just past each retention) and kept ones (just inside), for `platform`. */
async function seed(platform: string): Promise<void> {
  const audit = "INSERT INTO audit (platform_id, at, actor, action, subject) VALUES (?, ?, 'admin', ?, NULL)";
  await run(audit, platform, ago(kept("audit") + 1), "old");
  await run(audit, platform, ago(kept("audit") - 1), "kept");
  const delivery = `INSERT INTO webhook_deliveries (delivery_id, webhook_id, platform_id, seller_id, type, alert, status,
    created_at, updated_at) VALUES (?, 'wh', ?, 's', 'sla.breached', '{}', ?, ?, ?)`;
  await run(delivery, `${platform}-d-old`, platform, "delivered", ago(31), ago(31));
  await run(delivery, `${platform}-d-stuck`, platform, "pending", ago(31), ago(31));
  await run(delivery, `${platform}-d-kept`, platform, "failed", ago(29), ago(29));
  const hook =
    "INSERT INTO webhooks (webhook_id, platform_id, url, events, created_at, deleted_at) VALUES (?, ?, 'https://x.test', '[]', ?, ?)";
  await run(hook, `${platform}-w-old`, platform, ago(60), ago(31));
  await run(hook, `${platform}-w-kept`, platform, ago(60), ago(29));
  await run(hook, `${platform}-w-live`, platform, ago(60), null);
  const alert = `INSERT INTO alerts (platform_id, seller_id, alert_id, type, status, raised_at, resolved_at, details)
    VALUES (?, 's', ?, 'sla.breached', ?, ?, ?, '{}')`;
  await run(alert, platform, "a-old", "resolved", ago(100), ago(kept("alerts") + 1));
  await run(alert, platform, "a-kept", "resolved", ago(100), ago(kept("alerts") - 1));
  await run(alert, platform, "a-open", "open", ago(200), null);
  const change = `INSERT INTO rank_changes (platform_id, seller_id, run_hour, category, product_id, change)
    VALUES (?, 's', ?, 'shoes', ?, 'entered_top10')`;
  await run(change, platform, hourAgo(31), "p-old");
  await run(change, platform, hourAgo(29), "p-kept");
  const category = "INSERT INTO categories (platform_id, category, last_hour) VALUES (?, ?, ?)";
  await run(category, platform, "c-old", hourAgo(31));
  await run(category, platform, "c-kept", hourAgo(29));
  const rebuild = `INSERT INTO rebuild_runs (rebuild_id, platform_id, seller_id, state, started_at, updated_at)
    VALUES (?, ?, 's', ?, ?, ?)`;
  await run(rebuild, `${platform}-rb-old`, platform, "done", ago(8), ago(8));
  await run(rebuild, `${platform}-rb-lost`, platform, "running", ago(8), ago(8));
  await run(rebuild, `${platform}-rb-kept`, platform, "done", ago(6), ago(6));
  for (const table of ["seller_daily", "ship_daily"]) {
    const extra = table === "ship_daily" ? ", ship_hours" : "";
    const value = table === "ship_daily" ? ", 1" : "";
    await run(
      `INSERT INTO ${table} (platform_id, seller_id, day${extra}) VALUES (?, 's', ?${value})`,
      platform,
      today - kept("dailyRollups") - 1,
    );
    await run(
      `INSERT INTO ${table} (platform_id, seller_id, day${extra}) VALUES (?, 's', ?${value})`,
      platform,
      today - kept("dailyRollups") + 1,
    );
  }
  const product =
    "INSERT INTO product_daily (platform_id, seller_id, product_id, day, category) VALUES (?, 's', 'p', ?, 'c')";
  await run(product, platform, today - kept("dailyRollups") - 1);
  await run(product, platform, today - kept("dailyRollups") + 1);
  // Dead letters and their copies.
  const letter = `INSERT INTO dead_letters (queue, body, received_at, platform_id, message_id, copy_key)
    VALUES ('sellerpulse-events-dlq', '{}', ?, ?, ?, ?)`;
  for (const [id, days] of [
    ["dl-old", kept("deadLetters") + 1],
    ["dl-kept", kept("deadLetters") - 1],
  ] as const) {
    const key = deadLetterKey("sellerpulse-events-dlq", `${platform}-${id}`);
    await env.BUCKET.put(key, "{}");
    await run(letter, ago(days), platform, `${platform}-${id}`, key);
  }
  // Imports: finished 31 days ago (row and file go), 8 days ago (the file goes), 6 days ago (kept);
  // one still queued after 8 days (it ends as failed, its file goes).
  const imp = `INSERT INTO imports (import_id, platform_id, format, bytes, state, rows_total, created_at)
    VALUES (?, ?, 'ndjson', 1, ?, 1, ?)`;
  for (const [id, state, days] of [
    ["imp-old", "done", 31],
    ["imp-file", "failed", 8],
    ["imp-kept", "done", 6],
    ["imp-stuck", "queued", 8],
  ] as const) {
    await run(imp, `${platform}-${id}`, platform, state, ago(days));
    await run("INSERT INTO import_rejections (import_id, line, errors) VALUES (?, 1, '[]')", `${platform}-${id}`);
    await env.BUCKET.put(importKey(platform, `${platform}-${id}`), "{}\n");
  }
  // The archive: a day past its retention and a day inside.
  await env.BUCKET.put(archiveKey(platform, (today - kept("archive") - 1) * DAY_MS, "a"), "x");
  await env.BUCKET.put(archiveKey(platform, (today - kept("archive") + 1) * DAY_MS, "b"), "x");
}

describe("the hourly retention job", () => {
  it("deletes what is past each retention, keeps what is inside it, and another platform's", async () => {
    await createPlatform("ret");
    await createPlatform("ret-other");
    await seed("ret");
    await seed("ret-other");
    await runRetention("ret");
    await runRetention("ret"); // again: nothing more goes

    const of = (table: string, col: string) =>
      column(`SELECT ${col} FROM ${table} WHERE platform_id = 'ret' ORDER BY 1`);
    expect(await of("audit", "action")).toEqual(["kept"]);
    expect(await of("webhook_deliveries", "delivery_id")).toEqual(["ret-d-kept"]);
    expect(await of("webhooks", "webhook_id")).toEqual(["ret-w-kept", "ret-w-live"]);
    expect(await of("alerts", "alert_id")).toEqual(["a-kept", "a-open"]);
    expect(await of("rank_changes", "product_id")).toEqual(["p-kept"]);
    expect(await of("categories", "category")).toEqual(["c-kept"]);
    expect(await of("rebuild_runs", "rebuild_id")).toEqual(["ret-rb-kept"]);
    for (const table of ["seller_daily", "product_daily", "ship_daily"])
      expect(await of(table, "day")).toEqual([today - kept("dailyRollups") + 1]);
    expect(await of("dead_letters", "message_id")).toEqual(["ret-dl-kept"]);
    expect(await exists(deadLetterKey("sellerpulse-events-dlq", "ret-dl-old"))).toBe(false);
    expect(await exists(deadLetterKey("sellerpulse-events-dlq", "ret-dl-kept"))).toBe(true);
    expect(
      await column(
        "SELECT import_id || ':' || state || ':' || (file_deleted_at IS NOT NULL) FROM imports WHERE platform_id = 'ret' ORDER BY 1",
      ),
    ).toEqual(["ret-imp-file:failed:1", "ret-imp-kept:done:0", "ret-imp-stuck:failed:1"]);
    expect(await column("SELECT import_id FROM import_rejections WHERE import_id LIKE 'ret-imp-%' ORDER BY 1")).toEqual(
      ["ret-imp-file", "ret-imp-kept", "ret-imp-stuck"],
    );
    const files = (await env.BUCKET.list({ prefix: "imports/ret/" })).objects.map((o) => o.key);
    expect(files).toEqual([importKey("ret", "ret-imp-kept")]);
    const archived = (await env.BUCKET.list({ prefix: "archive/ret/" })).objects.map((o) => o.key.slice(12, 22));
    expect(archived).toEqual([dateAgo(kept("archive") - 1)]);

    // The other platform's, as old, are untouched until its own job runs.
    expect(await column("SELECT COUNT(*) FROM audit WHERE platform_id = 'ret-other'")).toEqual([2]);
    expect((await env.BUCKET.list({ prefix: "archive/ret-other/" })).objects).toHaveLength(2);
  });

  it("deletes the dead letters that name no platform from the hourly cron", async () => {
    const letter = `INSERT INTO dead_letters (queue, body, received_at, platform_id, message_id, copy_key)
      VALUES ('sellerpulse-webhooks-dlq', '{}', ?, NULL, ?, NULL)`;
    await run(letter, ago(kept("deadLetters") + 1), "unowned-old");
    await run(letter, ago(kept("deadLetters") - 1), "unowned-kept");
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "5 * * * *" }), env);
    expect(await column("SELECT message_id FROM dead_letters WHERE message_id LIKE 'unowned-%'")).toEqual([
      "unowned-kept",
    ]);
  });
});

describe("the reports' retention", () => {
  it("deletes a day's reports, seller ranges and files past REPORTS_RETENTION_DAYS, and keeps the rest", async () => {
    const report = `INSERT INTO reports (platform_id, date, kind, rows, bytes, written_at, generation) VALUES ('ret-r', ?, ?, 1, 1, ?, 'g')`;
    const range = `INSERT INTO report_ranges (platform_id, date, kind, seller_id, generation, offset, bytes) VALUES ('ret-r', ?, ?, 's', 'g', 0, 1)`;
    for (const date of [dateAgo(kept("reports") + 1), dateAgo(kept("reports") - 1)]) {
      for (const kind of ["products", "sellers"] as const) {
        await run(report, date, kind, ago(1));
        await run(range, date, kind);
        await env.BUCKET.put(reportKey("ret-r", date, kind), "x");
      }
    }
    await forgetOldReports(env, "ret-r");
    expect(await column("SELECT DISTINCT date FROM reports WHERE platform_id = 'ret-r'")).toEqual([
      dateAgo(kept("reports") - 1),
    ]);
    expect(await column("SELECT DISTINCT date FROM report_ranges WHERE platform_id = 'ret-r'")).toEqual([
      dateAgo(kept("reports") - 1),
    ]);
    expect(await exists(reportKey("ret-r", dateAgo(kept("reports") + 1), "sellers"))).toBe(false);
    expect(await exists(reportKey("ret-r", dateAgo(kept("reports") - 1), "sellers"))).toBe(true);
  });
});

describe("KV's top lists", () => {
  it("expire TOP_LISTS_RETENTION_DAYS after the run that wrote them", async () => {
    await createPlatform("ret-kv");
    await run("INSERT INTO categories (platform_id, category, last_hour) VALUES ('ret-kv', 'shoes', ?)", hourAgo(0));
    const runHour = Math.floor(Date.now() / HOUR_MS);
    await deliverJob({
      job: "rankings.categories",
      platform: "ret-kv",
      runHour,
      expiresAt: Date.now() + HOUR_MS,
      previousRunHour: null,
      batch: 0,
      categories: ["shoes"],
    });
    const { keys } = await env.KV.list({ prefix: "top:ret-kv:" });
    expect(keys.map((k) => k.name)).toContain(rankingKey("ret-kv", "24h", "units", "shoes"));
    for (const key of keys) {
      const left = key.expiration! - Date.now() / 1000;
      expect(left).toBeGreaterThan(kept("topLists") * 86_400 - 120);
      expect(left).toBeLessThanOrEqual(kept("topLists") * 86_400);
    }
  });
});
