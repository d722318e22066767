/**
 * `npm start`: the whole product locally, with demo data. Starts the local stack (migrations,
 * the `demo` platform, `wrangler dev` on :8787), seeds a week of history for 120 sellers once
 * (kept in .wrangler/state), prints the demo key and dashboard links, then posts a slow live
 * trickle of orders so the numbers move. Events go through the platforms' SDK (sdk/), as an
 * integrator's would, so that it is exercised every day. Ctrl-C stops everything.
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
 * The demo's benchmark cohorts: k = 20, the floor (production's default is 50), so that a week of
 * 120 simulated sellers shows benchmarks, not only suppressions.
 */
const DEMO_VARS = { BENCHMARK_K: "20" };
const SEED = 1;
const DAYS = 7;
const TRICKLE_EVERY_MS = 2_000;
const LIVE_ORDERS_PER_MINUTE = 30;

let stack: LocalStack | undefined;
let client: SellerPulse | undefined;
let timer: NodeJS.Timeout | undefined;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) process.exit(code); // a second Ctrl-C: stop waiting (local-stack kills wrangler on exit)
  stopping = true;
  clearInterval(timer);
  console.log("\nStopping…");
  await client?.close({ timeoutMs: 2_000 }); // what the trickle tracked last is sent, not lost
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

/** Posts a week of history unless the busiest seller already has orders (a restart). */
async function seed(busiest: string): Promise<SellerEventInput[]> {
  if ((await api<Summary>(`/v1/sellers/${busiest}/summary`)).periods.all.orders > 0) {
    console.log("Demo history already seeded (delete .wrangler/state to start afresh).");
    return [];
  }
  const started = Date.now();
  const { past, future } = timeline({ seed: SEED, sellers: SELLERS, days: DAYS, endMs: started });
  process.stdout.write(
    `Seeding ${DAYS} days of history: ${past.length.toLocaleString("en-US")} events for ${SELLERS} sellers… `,
  );
  for (const event of past) client!.track(event);
  await client!.flush();
  // The queue consumer applies them within seconds; wait for the busiest seller to catch up.
  const orders = past.filter((e) => e.seller_id === busiest && e.type === "order.placed").length;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    if ((await api<Summary>(`/v1/sellers/${busiest}/summary`)).periods.all.orders >= orders) break;
    await sleep(500);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return future;
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
  const scheduled = await seed(busiest);

  const [cron] = (await wranglerConfig()).triggers.crons ?? [];
  // Seeded just now: the ledgers' flushes to D1 are due within FLUSH_DELAY_MS + FLUSH_JITTER_MS.
  if (cron) cronEveryHour(cron, scheduled.length > 0 ? FLUSH_DELAY_MS + FLUSH_JITTER_MS + 5_000 : 0);

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
Live orders arrive every ${TRICKLE_EVERY_MS / 1000} s; the hourly jobs (rankings, benchmarks) run ${scheduled.length > 0 ? "in about a minute, once the history has reached D1," : "now"} and then every hour.
Ctrl-C stops everything.`);

  // Live orders, and the later steps of the history's orders as they fall due.
  const live = trickle({
    seed: SEED,
    sellers: SELLERS,
    startMs: Date.now(),
    ordersPerMinute: LIVE_ORDERS_PER_MINUTE,
    scheduled,
  });
  // The SDK sends what was tracked within its flush interval (a second), retrying 429s and 5xx.
  timer = setInterval(() => {
    for (const event of live.next(Date.now())) client!.track(event);
  }, TRICKLE_EVERY_MS);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
}
