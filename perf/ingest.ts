/**
 * Ingest, end to end: post a simulated history (for the ingest figures, round after round of it
 * for at least 10 s) and stop the clock only when every seller's summary equals the load
 * generator's own ledger (expectedTotals), exactly. The bare pipeline (perf/bare) is driven the
 * same way, each seller checked by its count of distinct events.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { expectedTotals } from "../simulator/expected.ts";
import { type HistoryOptions, history } from "../simulator/generate.ts";
import type { SellerEventInput } from "../src/events/schema.ts";
import type { Counters } from "../src/metrics/counters.ts";
import type { Summary } from "../src/metrics/summary.ts";
import { eachAtMost } from "../src/queues/at-most.ts";
import { getOk, postEvents } from "./load.ts";

export interface IngestResult {
  name: string;
  sellers: number;
  events: number;
  seconds: number;
  postSeconds: number;
  eventsPerSecond: number;
  /**
   * The checks alone: every seller read once more (the app's summary, the bare pipeline's
   * count), after the figure, with the same checkers. What the figure's own verification costs
   * (one read per seller at the least).
   */
  checkSeconds: number;
  /** Reads the checkers made while the clock ran (at least one per seller). */
  checkReads: number;
  /** Why the scenario could not finish, when it could not. */
  failed?: string;
  /** Rounds of the scenario's history posted (the last one in part); streamed figures only. */
  rounds?: number;
  /** The warm-up before the clock (one event per seller, each checked), when the figure has one. */
  warmUpSeconds?: number;
  /** workerd's CPU milliseconds over the figure (its check reads included); null without /proc. */
  cpuMs?: number | null;
  /** workerd's CPU milliseconds for the checks alone (every seller read once more). */
  checkCpuMs?: number | null;
  /** CPU milliseconds per 1,000 events (cpuMs over the events). */
  cpuPerThousand?: number | null;
}

/** The counters of the summary's all-time period that are compared, each with the simulator's own. */
const COMPARED = [
  "orders",
  "gmv",
  "accepted",
  "rejected",
  "cancelled",
  "shipped",
  "shipped_on_time",
  "ratings",
  "visits",
  "refunds",
] as const;

/** Where a seller's summary differs from the simulator's ledger, as "field have ≠ want"; none: equal. */
export function differences(summary: Summary, expected: Counters): string[] {
  const all = summary.periods.all;
  const found = COMPARED.filter((f) => all[f] !== expected[f]).map((f) => `${f} ${all[f]} ≠ ${expected[f]}`);
  const payout: [string, number, number][] = [
    ["payout.accrued", summary.payout.accrued, expected.payout_accrued],
    ["payout.paid", summary.payout.paid, expected.payout_paid],
    ["payout.commission", summary.payout.commission, expected.commission],
    ["payout.fees", summary.payout.fees, expected.fees],
  ];
  for (const [name, have, want] of payout) if (have !== want) found.push(`${name} ${have} ≠ ${want}`);
  return found;
}

const matches = (summary: Summary, expected: Counters) => differences(summary, expected).length === 0;

/**
 * Sellers checked at once while an ingest scenario runs. Every seller of a scenario has events
 * near its end, so most checks come after posting: with 4 checkers the last 1,000 reads were
 * bound by their latency (~130/s, 7-8 s of the figure), with 16 by the runtime (~5 s).
 */
const CHECKERS = 16;

/**
 * Requests posting at once. Locally the consumer and the ingest Worker share one thread, and a
 * queue batch carries what was posted while the previous batch was applied: with 4 posters
 * that was about 4 requests (4,000 events, naming every one of 1,000 sellers, so ~5 events per
 * ledger call); with 16, the 1,000-seller history arrives in 3 batches instead of 7 and the
 * ledgers get fewer, fuller calls. Many platforms posting at once is also the realistic load.
 */
export const POSTERS = 16;

/** Reads one seller's figures and says whether they are the expected ones. */
export type Check<T> = (seller: string, expected: T) => Promise<boolean>;

/** The app's check: the seller's summary equals the load generator's ledger, exactly. */
export function summaryCheck(baseUrl: string, key: string): Check<Counters> {
  return async (seller, expected) =>
    matches((await getOk(`${baseUrl}/v1/sellers/${encodeURIComponent(seller)}/summary`, key)) as Summary, expected);
}

/**
 * Waits until every seller passes its check. Sellers are checked in the order their last event
 * was posted, each as soon as that event has been accepted (so checking overlaps posting, and
 * reads a ledger while it is still in memory), by CHECKERS checkers that each wait on their
 * seller until it matches: the consumer works through the queue roughly in order, so this
 * costs about one read per seller instead of sweeping thousands of sellers again and again
 * (which would slow the very pipeline being measured). No seller is ever skipped. Returns the
 * reads it made (1,000 or 1,001 for 1,000 sellers in the runs so far).
 */
export async function waitForSellers<T>(
  expected: Map<string, T>,
  check: Check<T>,
  postedOrder: readonly string[],
  progress: { posted: number; failed?: boolean } = { posted: postedOrder.length },
  timeoutMs = 900_000,
): Promise<number> {
  let reads = 0;
  const read = (seller: string) => {
    reads++;
    return check(seller, expected.get(seller)!);
  };
  const lastIndex = new Map<string, number>();
  for (const [i, seller] of postedOrder.entries()) lastIndex.set(seller, i);
  const sellers = [...expected.keys()].sort((a, b) => lastIndex.get(a)! - lastIndex.get(b)!);
  const deadline = performance.now() + timeoutMs;
  const pause = () => sleep(50);
  await eachAtMost(sellers, CHECKERS, async (seller) => {
    while (progress.posted <= lastIndex.get(seller)!) {
      if (progress.failed) return; // posting failed, and says why
      await pause();
    }
    while (!(await read(seller))) {
      if (performance.now() > deadline) throw new Error(`seller ${seller} still differs from its expected totals`);
      await pause();
    }
  });
  return reads;
}

/** How a scenario's events reach the app; `progress.posted`: how many have been accepted so far. */
type Send = (events: readonly SellerEventInput[], progress: { posted: number }) => Promise<void>;

/** Posts to /v1/events, POSTERS requests of 1,000 events at a time. */
const posting =
  (baseUrl: string, key: string | undefined): Send =>
  (events, progress) =>
    postEvents(baseUrl, key, events, { batch: 1000, concurrency: POSTERS, progress });

/** Uploads the events as one NDJSON file to POST /v1/imports. */
const importing =
  (baseUrl: string, key: string): Send =>
  async (events, progress) => {
    const res = await fetch(`${baseUrl}/v1/imports`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/x-ndjson" },
      body: events.map((e) => `${JSON.stringify(e)}\n`).join(""),
    });
    if (res.status !== 202) throw new Error(`POST /v1/imports answered ${res.status}: ${await res.text()}`);
    progress.posted = events.length;
  };

/**
 * Sends `events` and stops the clock when every seller passes its check; then times the checks
 * alone (every seller read once more, now that all match).
 */
async function runScenario<T>(
  send: Send,
  name: string,
  events: readonly SellerEventInput[],
  expected: Map<string, T>,
  check: Check<T>,
): Promise<IngestResult> {
  const postedOrder = events.map((e) => e.seller_id);
  const start = performance.now();
  const progress = { posted: 0, failed: false };
  let posted = 0;
  const [, checkReads] = await Promise.all([
    send(events, progress).then(
      () => {
        posted = performance.now();
      },
      (error: unknown) => {
        progress.failed = true;
        throw error;
      },
    ),
    waitForSellers(expected, check, postedOrder, progress),
  ]);
  const seconds = (performance.now() - start) / 1000;
  const checkStart = performance.now();
  await waitForSellers(expected, check, postedOrder);
  const checkSeconds = (performance.now() - checkStart) / 1000;
  return {
    name,
    sellers: expected.size,
    events: events.length,
    seconds,
    postSeconds: (posted - start) / 1000,
    eventsPerSecond: events.length / seconds,
    checkSeconds,
    checkReads,
  };
}

/**
 * The same history as one NDJSON file through POST /v1/imports: the clock runs from the upload
 * until every seller's summary equals the simulator's ledger, checked as ingestScenario checks.
 */
export function importScenario(
  baseUrl: string,
  key: string,
  name: string,
  events: readonly SellerEventInput[],
): Promise<IngestResult> {
  return runScenario(importing(baseUrl, key), name, events, expectedTotals(events), summaryCheck(baseUrl, key));
}

/** A scenario's simulated history, ending a minute ago. */
export function scenarioHistory(options: Omit<HistoryOptions, "endMs">): SellerEventInput[] {
  return history({ ...options, endMs: Date.now() - 60_000 });
}

/**
 * A simulated history through the app, each seller it names checked against its summary.
 * `before`: what was already posted to these sellers, which their summaries include too.
 */
export async function ingestScenario(
  baseUrl: string,
  key: string,
  name: string,
  events: readonly SellerEventInput[],
  before: readonly SellerEventInput[] = [],
): Promise<IngestResult> {
  const named = new Set(events.map((e) => e.seller_id));
  const expected = new Map([...expectedTotals([...before, ...events])].filter(([seller]) => named.has(seller)));
  return runScenario(posting(baseUrl, key), name, events, expected, summaryCheck(baseUrl, key));
}
