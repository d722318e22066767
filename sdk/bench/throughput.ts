/**
 * Events/s through the SDK from one Node process, as a ratio to raw fetch posting the same batches
 * (plain JSON, the same requests in flight) in the same run, rounds alternating which goes first.
 * Usage: node bench/throughput.ts --url http://127.0.0.1:8787 --key <platform key> [--events 100000]
 */
import { parseArgs } from "node:util";
import { EventQueue, type Queued } from "../src/event-queue.ts";
import { SellerPulse, type TrackedEvent } from "../src/index.ts";
import { retryAfterMs } from "../src/retry.ts";
import { utf8Length } from "../src/utf8-length.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    key: { type: "string" },
    events: { type: "string", default: "100000" },
    rounds: { type: "string", default: "3" },
    "in-flight": { type: "string", default: "1" },
    sellers: { type: "string", default: "200" },
  },
});
if (!values.url || !values.key) {
  console.error("usage: node bench/throughput.ts --url <API origin> --key <platform key> [--events N] [--rounds N]");
  console.error("       [--in-flight N] [--sellers N]    (the events are valid for a USD platform, e.g. demo)");
  process.exit(2);
}
const url = values.url.replace(/\/+$/, "").replace(/\/v1$/, "");
const key = values.key;
const count = Number(values.events);
const rounds = Number(values.rounds);
const inFlight = Number(values["in-flight"]);
const sellers = Number(values.sellers);
const run = Date.now().toString(36);

/** Valid order.placed events of the platform's currency (USD), with ids unique to this run and pass. */
function generate(pass: string): TrackedEvent[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    event_id: `bench-${run}-${pass}-${i}`,
    type: "order.placed",
    occurred_at: new Date(now - (i % 3600) * 1000).toISOString(),
    seller_id: `bench-${i % sellers}`,
    order_id: `bench-${run}-${pass}-o${i}`,
    currency: "USD",
    items: Array.from({ length: 1 + (i % 3) }, (_, j) => ({
      product_id: `p-${(i * 7 + j) % 500}`,
      category: ["books", "electronics", "garden", "toys"][(i + j) % 4]!,
      quantity: 1 + (j % 2),
      unit_price: 500 + ((i * 31 + j) % 20_000),
    })),
    commission_bps: 1200,
    region: ["eu", "us", "apac"][i % 3]!,
    channel: "search",
    ship_within_hours: 48,
  }));
}

interface Result {
  seconds: number;
  requests: number;
  rejected: number;
  failed: number;
}

/** The batches the SDK would cut (same limits, same order), each serialised and posted with plain fetch. */
async function raw(events: TrackedEvent[]): Promise<Result> {
  const queue = new EventQueue();
  events.forEach((event, seq) => {
    const json = JSON.stringify(event);
    queue.push({ seq, json, bytes: utf8Length(json) });
  });
  const batches: TrackedEvent[][] = [];
  while (queue.length > 0) batches.push(queue.take().map((e: Queued) => events[e.seq]!));
  const result: Result = { seconds: 0, requests: 0, rejected: 0, failed: 0 };

  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const body = JSON.stringify(batch); // in the timed part: the SDK serialises too
      for (;;) {
        result.requests++;
        const response = await fetch(`${url}/v1/events`, {
          method: "POST",
          headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
          body,
        });
        const answer = (await response.json().catch(() => null)) as { rejected?: unknown[] } | null;
        if (response.status === 429 || response.status >= 500) {
          await new Promise((resolve) =>
            setTimeout(resolve, retryAfterMs(response.headers.get("Retry-After"), Date.now()) ?? 500),
          );
          continue;
        }
        if (response.status === 202) result.rejected += answer?.rejected?.length ?? 0;
        else result.failed += batch.length;
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

async function sdk(events: TrackedEvent[], gzip: boolean): Promise<Result> {
  const result: Result = { seconds: 0, requests: 0, rejected: 0, failed: 0 };
  const client = new SellerPulse({
    url,
    key,
    gzip,
    maxInFlight: inFlight,
    onRejected: () => result.rejected++,
    onDropped: (d) => {
      result.failed += d.events.length;
    },
    fetch: (input, init) => {
      result.requests++;
      return fetch(input, init);
    },
  });
  const started = performance.now();
  for (const event of events) client.track(event);
  await client.close();
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (r: Result) => count / r.seconds;
const passes = { raw: [] as number[], sdkGzip: [] as number[], sdkPlain: [] as number[] };

for (let round = 0; round < rounds; round++) {
  const order: (keyof typeof passes)[] =
    round % 2 === 0 ? ["raw", "sdkGzip", "sdkPlain"] : ["sdkPlain", "sdkGzip", "raw"];
  for (const pass of order) {
    const events = generate(`${round}${pass}`);
    const result = pass === "raw" ? await raw(events) : await sdk(events, pass === "sdkGzip");
    passes[pass].push(rate(result));
    console.log(
      `round ${round + 1} ${pass.padEnd(8)} ${rate(result).toFixed(0).padStart(8)} events/s` +
        `  ${result.requests} requests, ${result.rejected} rejected, ${result.failed} failed`,
    );
  }
}

const summary = {
  url,
  events: count,
  rounds,
  in_flight: inFlight,
  raw_events_per_s: Math.round(median(passes.raw)),
  sdk_gzip_events_per_s: Math.round(median(passes.sdkGzip)),
  sdk_plain_events_per_s: Math.round(median(passes.sdkPlain)),
  ratio_gzip: Number((median(passes.sdkGzip) / median(passes.raw)).toFixed(3)),
  ratio_plain: Number((median(passes.sdkPlain) / median(passes.raw)).toFixed(3)),
};
console.log(JSON.stringify(summary));
