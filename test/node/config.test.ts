// wrangler.toml is the one source of deployment settings; what the code must know of them is
// held to it here, read by wrangler's own parser.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { wranglerConfig } from "../../scripts/local-stack.ts";
import { EXAMPLE_SESSION_SECRET } from "../../src/auth/session-tokens.ts";
import { defaultAllowances, LOOKUP_RATE_PERIOD_SECONDS } from "../../src/db/allowances.ts";
import { RETENTIONS, type Retained, retentionDays } from "../../src/db/retentions.ts";
import { MAX_BATCH_MESSAGES } from "../../src/pipeline/batch-size.ts";
import { hourlyRetentionDays, ignoredRetentionDays, rankingsHistoryDays } from "../../src/retention/days.ts";
import { GIVE_UP_MS, MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from "../../src/webhooks/retries.ts";
import { EXAMPLE_WEBHOOK_SIGNING_KEY } from "../../src/webhooks/signature.ts";

describe("wrangler.toml", () => {
  it("limits key lookups per client over the period a client over it is told to wait", async () => {
    const { ratelimits } = await wranglerConfig();
    const periods = Object.fromEntries(ratelimits.map((r) => [r.name, r.simple.period]));
    expect(periods).toEqual({ LOOKUP_LIMITER: LOOKUP_RATE_PERIOD_SECONDS });
  }, 30_000); // the first to read wrangler.toml loads wrangler itself

  it("gives every allowance a default a platform may take", async () => {
    const { vars } = await wranglerConfig();
    expect(defaultAllowances(vars)).toEqual({
      ingest_events_per_10s: 200_000,
      reads_per_10s: 1_000,
      sessions_per_10s: 500,
      imports_at_once: 2,
      import_bytes_per_day: 1024 ** 3,
      rebuilds_at_once: 1,
      webhooks: 20,
      categories: 10_000,
      live_sockets_per_seller: 20,
    });
    expect(() => defaultAllowances({ ...vars, ALLOWANCE_INGEST_EVENTS_PER_10S: "99" })).toThrow(
      /ALLOWANCE_INGEST_EVENTS_PER_10S is 99: ingest_events_per_10s is a whole number from 100/,
    );
    expect(() => defaultAllowances({ ...vars, ALLOWANCE_WEBHOOKS: undefined })).toThrow(/ALLOWANCE_WEBHOOKS/);
  }, 30_000); // the first to read wrangler.toml loads wrangler itself

  it("runs one hourly cron, the form npm start fires every hour", async () => {
    const crons = (await wranglerConfig()).triggers.crons ?? [];
    expect(crons).toHaveLength(1);
    expect(crons[0]).toMatch(/^\d+ \* \* \* \*$/);
  });

  it("keeps D1's hourly rollups at least as long as their readers read back", async () => {
    const { vars } = await wranglerConfig();
    expect(hourlyRetentionDays({ HOURLY_RETENTION_DAYS: "", BENCHMARK_PERIOD_DAYS: "", ...vars })).toBe(90);
    expect(ignoredRetentionDays({ IGNORED_EVENTS_RETENTION_DAYS: "", ...vars })).toBe(90);
    expect(rankingsHistoryDays({ RANKINGS_HISTORY_DAYS: "", ...vars })).toBe(7);
  });

  it("gives the events consumer the batches its share of a backlog is planned for", async () => {
    const consumer = (await wranglerConfig()).queues.consumers?.find((c) => c.queue === "sellerpulse-events");
    expect(consumer?.max_batch_size).toBe(MAX_BATCH_MESSAGES);
  });

  it("gives everything that grows a retention its readers can live with", async () => {
    const { vars } = await wranglerConfig();
    const kept = Object.fromEntries(
      Object.keys(RETENTIONS).map((what) => [what, retentionDays(vars, what as Retained)]),
    );
    expect(kept).toEqual({
      audit: 90,
      webhookDeliveries: 30,
      alerts: 30,
      deadLetters: 30,
      imports: 30,
      importFiles: 7,
      rankChanges: 30,
      categories: 30,
      topLists: 2,
      archive: 400,
      reports: 90,
      rebuilds: 7,
      dailyRollups: 365,
    });
    expect(() => retentionDays({ ...vars, CATEGORIES_RETENTION_DAYS: "8" }, "categories")).toThrow(/from 9/);
  });

  it("retries a webhook delivery for over a day even at the shortest jitter, and keeps its last failure", async () => {
    const consumer = (await wranglerConfig()).queues.consumers?.find((c) => c.queue === "sellerpulse-webhooks");
    expect((consumer?.max_retries ?? 0) + 1).toBe(MAX_DELIVERY_ATTEMPTS);
    let shortest = 0;
    for (let attempts = 1; attempts < MAX_DELIVERY_ATTEMPTS; attempts++) shortest += retryDelaySeconds(attempts, 0);
    expect(shortest * 1000).toBeGreaterThan(GIVE_UP_MS);
  });
});

describe(".dev.vars.example", () => {
  it("ships the session secret and webhook signing key that a deployed Worker refuses", () => {
    const example = readFileSync(new URL("../../.dev.vars.example", import.meta.url), "utf8");
    expect(/^SESSION_SECRET=(.*)$/m.exec(example)?.[1]).toBe(EXAMPLE_SESSION_SECRET);
    expect(/^WEBHOOK_SIGNING_KEY=(.*)$/m.exec(example)?.[1]).toBe(EXAMPLE_WEBHOOK_SIGNING_KEY);
  });
});
