/**
 * Freshness: the time from a 202 to the event showing, in the WebSocket push and in the
 * summary, measured one event at a time while a background load keeps the pipeline busy.
 */
import type { Summary } from "../src/ledger/summary.ts";
import { history } from "../scripts/simulator/generate.ts";
import { getOk, percentile, postEvents } from "./load.ts";

export interface Freshness {
  probes: number;
  pushP50: number;
  pushP99: number;
  summaryP50: number;
  summaryP99: number;
  backgroundEvents: number;
}

/** Posts 200-event batches of other sellers' traffic, one at a time, until stopped. */
function backgroundLoad(baseUrl: string, key: string): { stop(): Promise<number> } {
  let running = true;
  let posted = 0;
  const events = history({ seed: 99, sellers: 50, days: 30, endMs: Date.now() - 60_000, prefix: "bg" });
  const loop = (async () => {
    for (let i = 0; running; i = (i + 200) % events.length) {
      const batch = events.slice(i, i + 200);
      await postEvents(baseUrl, key, batch, { batch: 200, concurrency: 1 });
      posted += batch.length;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return posted;
    },
  };
}

const visit = (seller: string, n: number) => ({
  event_id: `probe-${seller}-${n}`,
  type: "storefront.visits",
  occurred_at: new Date().toISOString(),
  seller_id: seller,
  channel: "direct",
  visits: 1,
});

async function post(baseUrl: string, key: string, event: unknown): Promise<void> {
  await postEvents(baseUrl, key, [event], { batch: 1, concurrency: 1 });
}

export async function measureFreshness(baseUrl: string, key: string, probes = 200): Promise<Freshness> {
  const background = backgroundLoad(baseUrl, key);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let the load build up

  // Pushed: a WebSocket on the probe seller's live feed.
  const pushSeller = "fresh-push";
  const socket = new WebSocket(`${baseUrl.replace("http", "ws")}/v1/sellers/${pushSeller}/live?token=${key}`);
  let latest = -1;
  let waiter: (() => void) | null = null;
  socket.addEventListener("message", (event) => {
    latest = (JSON.parse(String(event.data)) as Summary).periods.all.visits;
    waiter?.();
  });
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve);
    socket.addEventListener("error", reject);
  });
  const push: number[] = [];
  for (let n = 1; n <= probes; n++) {
    await post(baseUrl, key, visit(pushSeller, n));
    const accepted = performance.now();
    while (latest < n) await new Promise<void>((resolve) => (waiter = resolve));
    push.push(performance.now() - accepted);
  }
  socket.close();

  // Read: the summary polled every 5 ms until it shows the event.
  const pollSeller = "fresh-poll";
  const polled: number[] = [];
  for (let n = 1; n <= probes; n++) {
    await post(baseUrl, key, visit(pollSeller, n));
    const accepted = performance.now();
    for (;;) {
      const summary = (await getOk(`${baseUrl}/v1/sellers/${pollSeller}/summary`, key)) as Summary;
      if (summary.periods.all.visits >= n) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    polled.push(performance.now() - accepted);
  }
  const backgroundEvents = await background.stop();
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  return {
    probes,
    pushP50: percentile(sorted(push), 50),
    pushP99: percentile(sorted(push), 99),
    summaryP50: percentile(sorted(polled), 50),
    summaryP99: percentile(sorted(polled), 99),
    backgroundEvents,
  };
}
