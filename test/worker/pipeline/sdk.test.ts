// The platforms' SDK (sdk/) against the app in the Workers runtime: simulated events tracked in a
// loop arrive exactly once, every seller's summary equal to the reference fold of them, while the
// "network" in between answers 429 and 503 some of the time, before the app sees a request or
// after the app has kept it (then the retry is a duplicate the ledgers must ignore); a close() in
// the middle of the stream returns only once everything tracked before it is kept. 20,000 events
// by default; SDK_TEST_EVENTS=100000 npx vitest run --project workers test/worker/pipeline/sdk.test.ts for
// 100,000.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type DroppedEvents, type RejectedEvent, SellerPulse, type TrackedEvent } from "../../../sdk/src/index.ts";
import { history } from "../../../simulator/generate.ts";
import { eventSchema } from "../../../src/events/schema.ts";
import { foldedSummary } from "../../support/reference-summary.ts";
import { createPlatform, eventually, onDocument } from "../helpers.ts";

const EVENTS = Number(env.SDK_TEST_EVENTS || 20_000);
const PLATFORM = "sdk";
const ORIGIN = "https://sellerpulse.test";
const now = Date.now();

// A week of 40 stores, sized to give more than EVENTS events (about 3.4 per order), cut to EVENTS.
const events = history({
  seed: 24,
  sellers: 40,
  days: 7,
  ordersPerDay: Math.ceil(EVENTS / 20),
  endMs: now - 60_000,
}).slice(0, EVENTS);
if (events.length !== EVENTS) throw new Error(`the simulator gave ${events.length} events, not ${EVENTS}`);
const half = Math.floor(EVENTS / 2);
const parsed = events.map((e) => eventSchema.parse(e));
const sellers = [...new Set(parsed.map((e) => e.seller_id))];

/** What the "network" did to each request of events. */
type Fate = "429 unseen" | "503 unseen" | "503 after keeping" | "lost after keeping" | "through";

/**
 * What the network does to each request of events, in turn: half go through; the rest are a 429
 * (Retry-After: 1) or a 503 that the app never sees, or a 503 or a broken connection after the app
 * answered 202 (the events are kept; the SDK cannot know, and sends them again).
 */
const SCHEDULE: Fate[] = [
  "through",
  "429 unseen",
  "through",
  "503 unseen",
  "503 after keeping",
  "through",
  "lost after keeping",
  "through",
];

/**
 * A fetch to the app through that network. It records the event ids of every request the app
 * answered 202, and every status and wait in order.
 */
function flakyNetwork() {
  const kept = new Set<string>();
  const fates: Fate[] = [];
  const log: string[] = [];
  const decoded = async (body: ArrayBuffer): Promise<{ event_id: string }[]> => {
    const gunzipped = new Response(body).body!.pipeThrough(new DecompressionStream("gzip"));
    return (await new Response(gunzipped).json()) as { event_id: string }[];
  };
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const fate = SCHEDULE[fates.length % SCHEDULE.length]!;
    fates.push(fate);
    if (fate === "429 unseen") {
      log.push("429");
      return Response.json(
        { error: { code: "rate_limited", message: "slow down" } },
        {
          status: 429,
          headers: { "Retry-After": "1" },
        },
      );
    }
    if (fate === "503 unseen") {
      log.push("503");
      return Response.json({ error: { code: "unavailable", message: "try again" } }, { status: 503 });
    }
    const body = await request.clone().arrayBuffer();
    const response = await onDocument(request, await exports.default.fetch(request));
    if (response.status === 202) for (const e of await decoded(body)) kept.add(e.event_id);
    log.push(String(response.status));
    if (fate === "through") return response;
    await response.body?.cancel();
    if (fate === "lost after keeping") throw new TypeError("Network connection lost.");
    return Response.json({ error: { code: "unavailable", message: "try again" } }, { status: 503 });
  };
  /** Waits a hundredth of what the SDK asks (its Retry-After of 1 s: 10 ms), and logs the ask. */
  const sleep = async (ms: number, signal: AbortSignal): Promise<void> => {
    log.push(`wait ${ms}`);
    await new Promise((resolve) => setTimeout(resolve, ms / 100));
    signal.throwIfAborted();
  };
  return { fetch, sleep, kept, fates, log };
}

let key: string;
const network = flakyNetwork();
const rejected: RejectedEvent[] = [];
const dropped: DroppedEvents[] = [];
let keptAtClose: { tracked: string[]; kept: Set<string> };

const client = () =>
  new SellerPulse({
    url: `${ORIGIN}/v1`,
    key,
    flushAt: 250,
    fetch: network.fetch,
    sleep: network.sleep,
    onRejected: (r) => rejected.push(r),
    onDropped: (d) => dropped.push(d),
  });

beforeAll(async () => {
  key = await createPlatform(PLATFORM);
  // The first half through one client, closed in the middle of its deliveries (everything it
  // tracked is still queued or in flight when close() is called); the rest through a second one.
  const first = client();
  const tracked = events.slice(0, half).map((e) => first.track(e as TrackedEvent));
  expect(first.pending).toBe(half);
  await first.close();
  keptAtClose = { tracked, kept: new Set(network.kept) };
  const second = client();
  for (const e of events.slice(half)) second.track(e as TrackedEvent);
  await second.close();
}, 300_000);

describe("the SDK, against the app", () => {
  it(`delivers ${EVENTS.toLocaleString("en")} tracked events exactly once through 429s, 503s and lost answers`, async () => {
    expect(rejected).toEqual([]);
    expect(dropped).toEqual([]);
    expect(network.kept.size).toBe(EVENTS);
    // The network did fail, in every way, and requests the app kept were sent again.
    for (const fate of ["429 unseen", "503 unseen", "503 after keeping", "lost after keeping"] as const)
      expect(network.fates.filter((f) => f === fate).length, fate).toBeGreaterThan(0);

    const expected = sellers.map((s) =>
      foldedSummary(
        s,
        parsed.filter((e) => e.seller_id === s),
        now,
      ),
    );
    await eventually(async () => {
      const actual = await Promise.all(
        sellers.map(async (s) => ({
          ...(await env.LEDGER.getByName(`${PLATFORM}:${s}`).summary(s, "USD", now)),
          updated_at: null,
        })),
      );
      expect(actual).toEqual(expected);
    }, 240_000);
  }, 300_000);

  it("returns from close() only once every event tracked before it is kept by the app", () => {
    const missing = keptAtClose.tracked.filter((id) => !keptAtClose.kept.has(id));
    expect(missing).toEqual([]);
    expect(keptAtClose.kept.size).toBeLessThan(EVENTS); // the second half came after
  });

  it("waits as long as a 429's Retry-After asks before sending again", () => {
    const after429 = network.log.flatMap((entry, i) => (entry === "429" ? [network.log[i + 1]] : []));
    expect(after429.length).toBeGreaterThan(0);
    expect(new Set(after429)).toEqual(new Set(["wait 1000"]));
  });
});
