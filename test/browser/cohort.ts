// A simulated cohort for the panels that need D1 and the hourly jobs: 40 sellers (c-1 … c-40) over
// the last 3 days, posted through the API, then, once the ledgers have flushed to D1, the hourly
// jobs fired twice, an hour apart (so each product has a rank and a rank before), which also make
// the platform's first benchmark release.
import { setTimeout as sleep } from "node:timers/promises";
import { wranglerConfig } from "../../scripts/local-stack.ts";
import { timeline } from "../../simulator/generate.ts";
import { FLUSH_DELAY_MS, FLUSH_JITTER_MS } from "../../src/ledger/flush-delay.ts";
import type { Harness } from "./harness.ts";

const SELLERS = 40;
const DAYS = 3;
const HOUR_MS = 3_600_000;
const BATCH = 1000;

export const cohortSellers = Array.from({ length: SELLERS }, (_, i) => `c-${i + 1}`);

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** Fires the hourly cron as if at `atMs` and waits for its rankings (and the benchmarks run) to be complete. */
async function runHourlyJobs(h: Harness, cron: string, atMs: number): Promise<void> {
  const fired = await fetch(
    `${h.stack.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}&time=${atMs}`,
  ).then((res) => res.text());
  if (fired !== "ok") throw new Error(`the cron did not run: ${fired}`);
  const hour = new Date(Math.floor(atMs / HOUR_MS) * HOUR_MS).toISOString();
  await until(`the ranking of ${hour}`, async () => {
    const { body } = await h.api(`/v1/sellers/${cohortSellers[0]}/products`);
    return body.generated_at === hour ? true : undefined;
  });
  await until("a benchmarks run", async () => {
    const { body } = await h.api("/v1/ops/benchmarks");
    return body.runs?.length > 0 ? true : undefined;
  });
}

export async function seedCohort(h: Harness): Promise<void> {
  const { past } = timeline({ seed: 7, sellers: SELLERS, days: DAYS, endMs: Date.now(), prefix: "c" });
  for (let i = 0; i < past.length; i += BATCH) await h.post(past.slice(i, i + BATCH));
  const placed = new Map<string, number>();
  for (const event of past)
    if (event.type === "order.placed") placed.set(event.seller_id, (placed.get(event.seller_id) ?? 0) + 1);
  for (const [seller, orders] of placed) {
    await until(`${seller}'s ${orders} orders`, async () => {
      const { body } = await h.api(`/v1/sellers/${seller}/summary`);
      return body.periods.all.orders === orders ? true : undefined;
    });
  }
  // Every ledger has flushed its last change to D1 by now: the hourly jobs read D1 only.
  await sleep(FLUSH_DELAY_MS + FLUSH_JITTER_MS + 2_000);
  const [cron] = (await wranglerConfig()).triggers.crons ?? [];
  if (!cron) throw new Error("wrangler.toml names no cron");
  const now = Date.now();
  await runHourlyJobs(h, cron, now - HOUR_MS);
  await runHourlyJobs(h, cron, now);
}
