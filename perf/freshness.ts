/**
 * Freshness: the time from a 202 to the event showing, in the WebSocket push and in the
 * summary, measured one event at a time while a background load keeps the pipeline busy:
 * either live traffic at a steady rate, or a history replayed as fast as the app accepts it
 * (which keeps the local runtime's one thread about 90% busy).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { history, trickle } from "../simulator/generate.ts";
import type { Summary } from "../src/metrics/summary.ts";
import { getOk, percentile, postEvents } from "./load.ts";

export interface Freshness {
  probes: number;
  pushP50: number;
  pushP99: number;
  summaryP50: number;
  summaryP99: number;
  backgroundEvents: number;
  /** Background events per second, as posted. */
  backgroundRate: number;
}

const BATCH = 200;
const TICK_MS = 200;
/**
 * In its first minutes a trickle brings about this many events per new order (the placement,
 * visits and the first steps; later steps follow over minutes). The rate reached is measured
 * and reported, this only aims it.
 */
const EARLY_EVENTS_PER_ORDER = 1.7;

/**
 * Other sellers' traffic until stopped. Steady: live orders of 50 stores (the simulator's
 * trickle: events happening now, their lifecycles compressed) at about `eventsPerSecond`,
 * posted every 200 ms. Saturating: a 30-day history of 50 stores replayed in 200-event
 * batches, back to back.
 */
function backgroundLoad(
  baseUrl: string,
  key: string,
  eventsPerSecond?: number,
): { stop(): Promise<{ events: number; rate: number }> } {
  let running = true;
  let posted = 0;
  const start = performance.now();
  const loop = eventsPerSecond
    ? (async () => {
        const live = trickle({
          seed: 99,
          sellers: 50,
          prefix: "bg",
          startMs: Date.now(),
          ordersPerMinute: (eventsPerSecond * 60) / EARLY_EVENTS_PER_ORDER,
        });
        while (running) {
          await sleep(TICK_MS);
          const due = live.next(Date.now());
          if (due.length > 0) await postEvents(baseUrl, key, due, { batch: 1000, concurrency: 1 });
          posted += due.length;
        }
      })()
    : (async () => {
        const events = history({ seed: 99, sellers: 50, days: 30, endMs: Date.now() - 60_000, prefix: "bg-replay" });
        for (let i = 0; running; i = (i + BATCH) % events.length) {
          const batch = events.slice(i, i + BATCH);
          await postEvents(baseUrl, key, batch, { batch: BATCH, concurrency: 1 });
          posted += batch.length;
        }
      })();
  return {
    async stop() {
      running = false;
      await loop;
      return { events: posted, rate: posted / ((performance.now() - start) / 1000) };
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

export async function measureFreshness(
  baseUrl: string,
  key: string,
  options: { backgroundRate?: number; probes?: number; name: string },
): Promise<Freshness> {
  const probes = options.probes ?? 200;
  const background = backgroundLoad(baseUrl, key, options.backgroundRate);
  await sleep(2000); // let the load build up

  // Pushed: a WebSocket on the probe seller's live feed.
  const pushSeller = `fresh-push-${options.name}`;
  // As the dashboard opens it: with the seller's session token (a platform key never goes in a URL).
  const session = await fetch(`${baseUrl}/v1/sessions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ seller_id: pushSeller }),
  });
  if (!session.ok) throw new Error(`POST /v1/sessions answered ${session.status}: ${await session.text()}`);
  const { token } = (await session.json()) as { token: string };
  const socket = new WebSocket(`${baseUrl.replace("http", "ws")}/v1/sellers/${pushSeller}/live?token=${token}`);
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
  const pollSeller = `fresh-poll-${options.name}`;
  const polled: number[] = [];
  for (let n = 1; n <= probes; n++) {
    await post(baseUrl, key, visit(pollSeller, n));
    const accepted = performance.now();
    for (;;) {
      const summary = (await getOk(`${baseUrl}/v1/sellers/${pollSeller}/summary`, key)) as Summary;
      if (summary.periods.all.visits >= n) break;
      await sleep(5);
    }
    polled.push(performance.now() - accepted);
  }
  const { events: backgroundEvents, rate: backgroundRate } = await background.stop();
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  return {
    probes,
    pushP50: percentile(sorted(push), 50),
    pushP99: percentile(sorted(push), 99),
    summaryP50: percentile(sorted(polled), 50),
    summaryP99: percentile(sorted(polled), 99),
    backgroundEvents,
    backgroundRate,
  };
}
