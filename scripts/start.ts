/**
 * `npm start`: the whole product locally, with demo data. Starts the local stack (migrations,
 * the `demo` platform, `wrangler dev` on :8787) and prints the demo key and dashboard links as soon
 * as the app answers; then seeds a week of history for 120 sellers behind them, once (kept in
 * .wrangler/state), with a progress line, says when the week is in, and posts a slow live trickle
 * of orders so the numbers move. Events go through the platforms' SDK (sdk/), as an integrator's
 * would, so that it is exercised every day. Ctrl-C stops everything.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SellerPulse } from "../sdk/src/index.ts";
import { makeStores, timeline, trickle } from "../simulator/generate.ts";
import type { SellerEventInput } from "../src/events/schema.ts";
import { FLUSH_DELAY_MS, FLUSH_JITTER_MS } from "../src/ledger/flush-delay.ts";
import type { Summary } from "../src/metrics/summary.ts";
import { type LocalStack, startLocalStack, wranglerConfig } from "./local-stack.ts";

const PORT = 8787;
const SELLERS = 120;
/**
 * The demo's benchmark cohorts: k = 20, the floor (production's default is 50), and a sharper
 * noised count (ρ 0.05 instead of 0.004), so that a week of 120 simulated sellers shows
 * benchmarks, not only suppressions.
 */
const DEMO_VARS = { BENCHMARK_K: "20", BENCHMARK_RHO_COUNT: "0.05" };
const SEED = 1;
const DAYS = 7;
const TRICKLE_EVERY_MS = 2_000;
const LIVE_ORDERS_PER_MINUTE = 30;

let stack: LocalStack | undefined;
let client: SellerPulse | undefined;
let seeder: SellerPulse | undefined;
let timer: NodeJS.Timeout | undefined;
let progressTimer: NodeJS.Timeout | undefined;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) process.exit(code); // a second Ctrl-C: stop waiting (local-stack kills wrangler on exit)
  stopping = true;
  clearInterval(timer);
  clearInterval(progressTimer);
  console.log("\nStopping…");
  await client?.close({ timeoutMs: 2_000 }); // what the trickle tracked last is sent, not lost
  await seeder?.close({ timeoutMs: 2_000 });
  await stack?.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${stack!.url}${path}`, {
    method: init.method ?? "GET",
    headers: { Authorization: `Bearer ${stack!.demoKey}`, "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/**
 * The hourly cron (rankings, benchmarks, reports) never fires under wrangler dev: fire it once
 * the seeded history has reached D1 (the ledgers flush 30-60 s after a write), then at its minute
 * of every hour. `cron` is wrangler.toml's, an hourly "M * * * *".
 */
function cronEveryHour(cron: string, firstInMs: number): void {
  const minute = Number(/^(\d+) \* \* \* \*$/.exec(cron)?.[1] ?? Number.NaN);
  if (!(minute >= 0 && minute < 60)) throw new Error(`wrangler.toml's cron "${cron}" is not hourly ("M * * * *")`);
  const run = () => fetch(`${stack!.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}`).catch(() => {});
  setTimeout(run, firstInMs).unref();
  const untilNext = (3_600_000 + minute * 60_000 - (Date.now() % 3_600_000)) % 3_600_000 || 3_600_000;
  setTimeout(() => {
    void run();
    setInterval(run, 3_600_000).unref();
  }, untilNext).unref();
}

let lastProblem = "";
/** Says what went wrong with events once, not once a batch while it keeps going wrong. */
function problem(message: string): void {
  if (message !== lastProblem && !stopping) console.error(message);
  lastProblem = message;
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");

/** Whether an earlier `npm start` seeded the history (its busiest seller has orders). */
async function seededBefore(busiest: string): Promise<boolean> {
  return (await api<Summary>(`/v1/sellers/${busiest}/summary`)).periods.all.orders > 0;
}

/**
 * Writes a progress line: in place on a terminal, every 10 s otherwise (a log keeps every line).
 * `done` ends it with a line break.
 */
function progress(line: string, done = false): void {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}${done ? "\n" : ""}`);
  else if (done || Date.now() - lastLogged >= 10_000) {
    console.log(line);
    lastLogged = Date.now();
  }
}
let lastLogged = 0;

/**
 * Sends the week of history (several requests in flight: arrival order does not matter to the
 * ledgers) with a progress line of events sent, the rate and the time left, then waits for the
 * queue consumer to apply them (the busiest seller has all its orders) and says so.
 */
async function seed(past: SellerEventInput[], busiest: string): Promise<void> {
  const started = Date.now();
  seeder = new SellerPulse({
    url: stack!.url,
    key: stack!.demoKey,
    flushAt: 1_000,
    maxInFlight: 4,
    onRejected: ({ event, errors }) => problem(`event ${event.event_id} rejected: ${errors.join("; ")}`),
    onDropped: ({ events, reason, error }) => problem(`${events.length} events not delivered (${reason}): ${error}`),
  });
  for (const event of past) seeder.track(event);
  progressTimer = setInterval(() => {
    const sent = past.length - seeder!.pending;
    const rate = sent / ((Date.now() - started) / 1000);
    const left = rate > 0 ? `, about ${count((past.length - sent) / rate)} s left` : "";
    progress(
      `Seeding the week of history: ${count(sent)} / ${count(past.length)} events sent (${count(rate)}/s${left})`,
    );
  }, 500);
  await seeder.flush();
  clearInterval(progressTimer);
  progress(`Seeding the week of history: ${count(past.length)} events sent; the ledgers are applying them…`);
  const orders = past.filter((e) => e.seller_id === busiest && e.type === "order.placed").length;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline && !stopping; ) {
    if ((await api<Summary>(`/v1/sellers/${busiest}/summary`)).periods.all.orders >= orders) break;
    await sleep(500);
  }
  if (stopping) return;
  const seconds = (Date.now() - started) / 1000;
  progress(
    `The week of history is in: ${count(past.length)} events in ${seconds.toFixed(0)} s. Every dashboard shows its full week; the hourly jobs (rankings, benchmarks) run in about a minute, once it has reached D1.`,
    true,
  );
}

try {
  console.log(`Starting SellerPulse (D1 migrations, the demo platform, wrangler dev on :${PORT})…`);
  stack = await startLocalStack({ port: PORT, logLevel: "warn", vars: DEMO_VARS });
  client = new SellerPulse({
    url: stack.url,
    key: stack.demoKey,
    onRejected: ({ event, errors }) => problem(`event ${event.event_id} rejected: ${errors.join("; ")}`),
    onDropped: ({ events, reason, error }) => problem(`${events.length} events not delivered (${reason}): ${error}`),
  });
  // The busiest store makes the liveliest seller dashboard.
  const stores = makeStores({ seed: SEED, sellers: SELLERS });
  const bySize = [...stores].sort((a, b) => a.ordersPerDay - b.ordersPerDay);
  const busiest = bySize[bySize.length - 1]!.id;
  // A store of middling size: among the many its size, so its benchmarks show (the few biggest may be suppressed).
  const typical = bySize[Math.floor(bySize.length / 2)]!.id;
  const seeded = await seededBefore(busiest);
  const { past, future } = seeded
    ? { past: [], future: [] }
    : timeline({ seed: SEED, sellers: SELLERS, days: DAYS, endMs: Date.now() });

  const seller = await api<{ dashboard_url: string }>("/v1/sessions", { method: "POST", body: { seller_id: busiest } });
  const middling = await api<{ dashboard_url: string }>("/v1/sessions", {
    method: "POST",
    body: { seller_id: typical },
  });
  const operator = await api<{ dashboard_url: string }>("/v1/sessions", { method: "POST", body: { role: "operator" } });
  console.log(`
SellerPulse is running at ${stack.url}
  demo platform key   ${stack.demoKey}
  seller dashboard    ${seller.dashboard_url}
                      (seller ${busiest}, the busiest of s-1 … s-${SELLERS})
  a typical seller    ${middling.dashboard_url}
                      (seller ${typical}: its cohort's benchmarks show once the first release is made)
  operator dashboard  ${operator.dashboard_url}
  API document        ${stack.url}/v1/openapi.json
Links hold a session for an hour; mint more with POST /v1/sessions and the key.
Live orders arrive every ${TRICKLE_EVERY_MS / 1000} s. ${
    seeded
      ? "The demo history was seeded before (delete .wrangler/state to start afresh); the hourly jobs run now and every hour."
      : `A week of history (${count(past.length)} events for ${SELLERS} sellers) is being seeded behind these links: the dashboards fill in as it arrives.`
  }
Ctrl-C stops everything.
`);

  // Live orders, and the later steps of the history's orders as they fall due.
  const live = trickle({
    seed: SEED,
    sellers: SELLERS,
    startMs: Date.now(),
    ordersPerMinute: LIVE_ORDERS_PER_MINUTE,
    scheduled: future,
  });
  // The SDK sends what was tracked within its flush interval (a second), retrying 429s and 5xx.
  timer = setInterval(() => {
    for (const event of live.next(Date.now())) client!.track(event);
  }, TRICKLE_EVERY_MS);

  const [cron] = (await wranglerConfig()).triggers.crons ?? [];
  if (seeded) {
    if (cron) cronEveryHour(cron, 0);
  } else {
    await seed(past, busiest);
    // Seeded just now: the ledgers' flushes to D1 are due within FLUSH_DELAY_MS + FLUSH_JITTER_MS.
    if (cron) cronEveryHour(cron, FLUSH_DELAY_MS + FLUSH_JITTER_MS + 5_000);
  }
} catch (error) {
  if (!stopping) console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
}
