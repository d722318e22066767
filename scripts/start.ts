/**
 * `npm start`: the whole product locally, with demo data. Starts the local stack (migrations,
 * the `demo` platform, `wrangler dev` on :8787), seeds a week of history for 36 sellers once,
 * prints the demo key and dashboard links, then posts a slow trickle of live orders.
 * Ctrl-C stops everything.
 */
import { history, makeStores, trickle } from "./simulator/generate.ts";
import { startLocalStack } from "./local-stack.ts";
import type { SellerEventInput } from "../src/events/schema.ts";

const PORT = 8787;
const SELLERS = 36;
const SEED = 1;

console.log("Starting SellerPulse (migrations, demo platform, wrangler dev)…");
const stack = await startLocalStack({ port: PORT, logLevel: "warn" });
const headers = { Authorization: `Bearer ${stack.demoKey}`, "Content-Type": "application/json" };

async function post(events: SellerEventInput[]): Promise<void> {
  const res = await fetch(`${stack.url}/v1/events`, { method: "POST", headers, body: JSON.stringify(events) });
  if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}: ${await res.text()}`);
}

async function get(path: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(`${stack.url}${path}`, { ...init, headers: { ...headers, ...init.headers } });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

let timer: NodeJS.Timeout | undefined;
async function shutdown(): Promise<void> {
  clearInterval(timer);
  console.log("\nStopping…");
  await stack.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

// The busiest store makes the liveliest dashboard.
const busiest = makeStores({ seed: SEED, sellers: SELLERS }).sort((a, b) => b.ordersPerDay - a.ordersPerDay)[0]!.id;

try {
  const seeded = (await get(`/v1/sellers/${busiest}/summary`)).periods.all.orders > 0;
  const nowMs = Date.now();
  if (seeded) {
    console.log("Demo history already seeded (delete .wrangler/state to start afresh).");
  } else {
    const events = history({ seed: SEED, sellers: SELLERS, days: 7, endMs: nowMs });
    process.stdout.write(`Seeding a week of history: ${events.length} events for ${SELLERS} sellers… `);
    for (let i = 0; i < events.length; i += 1000) await post(events.slice(i, i + 1000));
    console.log("done.");
  }
  const seller = await get("/v1/sessions", { method: "POST", body: JSON.stringify({ seller_id: busiest }) });
  const operator = await get("/v1/sessions", { method: "POST", body: JSON.stringify({ role: "operator" }) });
  console.log(`
SellerPulse is running on ${stack.url}
  demo platform key   ${stack.demoKey}
  seller dashboard    ${seller.dashboard_url}   (seller ${busiest})
  operator dashboard  ${operator.dashboard_url}
  API document        ${stack.url}/v1/openapi.json
  (sessions last an hour; mint another with POST /v1/sessions)

A live trickle of orders is flowing into the demo sellers s-1 … s-${SELLERS}. Ctrl-C stops everything.`);

  const live = trickle({ seed: SEED, sellers: SELLERS, startMs: Date.now(), ordersPerMinute: 30 });
  timer = setInterval(() => {
    const events = live.next(Date.now());
    if (events.length > 0) post(events).catch((error) => console.error("trickle:", error.message));
  }, 2_000);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stack.stop();
  process.exit(1);
}
