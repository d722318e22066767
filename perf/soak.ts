/**
 * `npm run soak`: 100,000 simulator events, one in ten sent twice, shuffled across requests of
 * random sizes, posted to `wrangler dev` with its state on disk; in the middle, once what was
 * posted so far is stored, wrangler dev is stopped and started again on the same state, and the
 * rest is posted. Then every seller's summary is set against the simulator's own ledger: events
 * lost and counted twice must both be 0. Exits 1 otherwise. About two to four minutes.
 *
 * The restart waits for the pipeline to drain: locally the queue lives in wrangler's memory, so a
 * message still on it when wrangler stops is gone (Cloudflare's queues keep it). What the
 * restart tests is that every stored figure survives it and that the second half, duplicates of
 * the first half included, is counted once on top of it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { startLocalStack } from "../scripts/local-stack.ts";
import { expectedTotals } from "../simulator/expected.ts";
import { history } from "../simulator/generate.ts";
import { random } from "../simulator/random.ts";
import type { Counters } from "../src/metrics/counters.ts";
import type { Summary } from "../src/metrics/summary.ts";
import { eachAtMost } from "../src/queues/at-most.ts";
import { differences } from "./ingest.ts";
import { getOk } from "./load.ts";

const { values } = parseArgs({
  options: { events: { type: "string", default: "100000" }, seed: { type: "string", default: "11" } },
});
const TARGET = Number(values.events);
const SEED = Number(values.seed);
const PORT = 8806;
const SELLERS = 300;
const DAYS = 14;

/** Waits until every seller's summary matches (or the time is up); the sellers that do not, with how. */
async function settle(url: string, key: string, expected: Map<string, Counters>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Map([...expected.keys()].map((s) => [s, [] as string[]]));
  while (pending.size > 0 && Date.now() < deadline) {
    await eachAtMost([...pending.keys()], 16, async (seller) => {
      const summary = (await getOk(`${url}/v1/sellers/${encodeURIComponent(seller)}/summary`, key)) as Summary;
      const found = differences(summary, expected.get(seller)!);
      if (found.length === 0) pending.delete(seller);
      else pending.set(seller, found);
    });
    if (pending.size > 0) await sleep(500);
  }
  return pending;
}

/** Requests sent again after a 5xx or a broken connection (safe: the events are deduped by id). */
let resent = 0;

async function post(url: string, key: string, requests: unknown[][]): Promise<void> {
  await eachAtMost([...requests.keys()], 8, async (i) => {
    for (let attempt = 1; ; attempt++) {
      let failure: string;
      try {
        const res = await fetch(`${url}/v1/events`, {
          method: "POST",
          headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
          body: JSON.stringify(requests[i]),
        });
        const text = await res.text();
        if (res.status === 202) return;
        failure = `POST /v1/events answered ${res.status}: ${text.slice(0, 300)}`;
        if (res.status < 500) throw new Error(failure);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        failure = `POST /v1/events: ${error.message} (${String(error.cause)})`;
      }
      if (attempt === 5) throw new Error(failure);
      resent++;
      await sleep(200 * attempt);
    }
  });
}

// The history, then one event in ten again at a random later place, then cut into requests of 1 to 1,000.
const rng = random(SEED);
let ordersPerDay = 40 * SELLERS;
let unique = history({ seed: SEED, sellers: SELLERS, days: DAYS, ordersPerDay, endMs: Date.now() - 60_000 });
// Visits do not grow with orders: two corrections bring the count near the target.
for (let pass = 0; pass < 2; pass++) {
  ordersPerDay = Math.round((ordersPerDay * TARGET) / 1.1 / unique.length);
  unique = history({ seed: SEED, sellers: SELLERS, days: DAYS, ordersPerDay, endMs: Date.now() - 60_000 });
}
const stream = [...unique];
for (let i = stream.length - 1; i > 0; i--) {
  const j = Math.floor(rng.next() * (i + 1));
  [stream[i], stream[j]] = [stream[j]!, stream[i]!];
}
let duplicates = 0;
for (const event of unique) {
  if (rng.next() < 0.1) {
    stream.splice(Math.floor(rng.next() * (stream.length + 1)), 0, event);
    duplicates++;
  }
}
const requests: unknown[][] = [];
for (let i = 0; i < stream.length; ) {
  const size = 1 + Math.floor(rng.next() * 1000);
  requests.push(stream.slice(i, i + size));
  i += size;
}
const half = Math.floor(requests.length / 2);
const firstHalf = requests.slice(0, half);
const expectedFirst = expectedTotals(firstHalf.flat() as typeof unique);
const expectedAll = expectedTotals(unique);
console.log(
  `${stream.length} events (${unique.length} distinct, ${duplicates} sent twice) for ${expectedAll.size} sellers, in ${requests.length} requests`,
);

const persistTo = mkdtempSync(join(tmpdir(), "sellerpulse-soak-"));
let failed = false;
try {
  const start = performance.now();
  let stack = await startLocalStack({
    port: PORT,
    persistTo,
    quiet: true,
    logLevel: "warn",
    vars: { RATE_LIMITS: "off" },
  });
  await post(stack.url, stack.demoKey, firstHalf);
  const beforeRestart = await settle(stack.url, stack.demoKey, expectedFirst, 300_000);
  console.log(
    `first half: ${firstHalf.flat().length} events posted, ${expectedFirst.size - beforeRestart.size}/${expectedFirst.size} sellers exact; restarting wrangler dev on the same state`,
  );
  await stack.stop();
  stack = await startLocalStack({
    port: PORT,
    persistTo,
    quiet: !process.env.SOAK_VERBOSE,
    logLevel: "warn",
    vars: { RATE_LIMITS: "off" },
  });
  await post(stack.url, stack.demoKey, requests.slice(half));
  const astray = await settle(stack.url, stack.demoKey, expectedAll, 600_000);
  await stack.stop();
  const seconds = (performance.now() - start) / 1000;
  let lost = 0;
  let doubled = 0;
  for (const [seller, found] of astray) {
    console.log(`  ${seller}: ${found.join(", ")}`);
    const orders = found.find((f) => f.startsWith("orders "));
    if (orders) {
      const [have, want] = orders.slice(7).split(" ≠ ").map(Number) as [number, number];
      if (have < want) lost += want - have;
      else doubled += have - want;
    }
  }
  console.log(
    `${expectedAll.size - astray.size}/${expectedAll.size} sellers exact after ${seconds.toFixed(0)} s; orders lost: ${lost}, counted twice: ${doubled}; sellers astray: ${astray.size}; requests sent again: ${resent}`,
  );
  failed = astray.size > 0 || beforeRestart.size > 0;
} finally {
  rmSync(persistTo, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
