/**
 * The ingest figures: a scenario's history posted round after round for as long as its posting
 * rule says (perf/scenarios.ts), to the app or to the bare pipeline, the clock stopped when every
 * seller holds exactly what was accepted, and workerd's CPU time read over it (perf/cpu.ts).
 */
import { expectedTotals } from "../simulator/expected.ts";
import type { SellerEventInput } from "../src/events/schema.ts";
import { type Counters, sumCounters } from "../src/metrics/counters.ts";
import { perThousand, workerdCpuMs } from "./cpu.ts";
import { type Check, type IngestResult, POSTERS, summaryCheck, waitForSellers } from "./ingest.ts";
import { getOk, postEvents } from "./load.ts";
import { postingOf } from "./scenarios.ts";
import { postFor, streamTotals } from "./stream.ts";

/** A seller's count of distinct events, the bare pipeline's figure. */
export function distinctCounts(events: readonly SellerEventInput[]): Map<string, number> {
  const ids = new Map<string, Set<string>>();
  for (const event of events) {
    const seller = ids.get(event.seller_id);
    if (seller) seller.add(event.event_id);
    else ids.set(event.seller_id, new Set([event.event_id]));
  }
  return new Map([...ids].map(([seller, set]) => [seller, set.size]));
}

/** One storefront.visits event per seller, at the history's first moment: it creates each ledger. */
export function warmUpEvents(history: readonly SellerEventInput[]): SellerEventInput[] {
  const sellers = [...new Set(history.map((e) => e.seller_id))];
  const at = history[0]!.occurred_at;
  return sellers.map((seller) => ({
    event_id: `warm-up-${seller}`,
    type: "storefront.visits",
    occurred_at: at,
    seller_id: seller,
    channel: "direct",
    visits: 1,
  }));
}

/** Where a streamed scenario goes and how its sellers are checked (the app's summary or the bare count). */
export interface Target<T> {
  url: string;
  key?: string;
  /** The process group of its wrangler dev, whose workerd CPU time is read. */
  group: number;
  totalsOf(events: readonly SellerEventInput[]): Map<string, T>;
  add(a: T, b: T): T;
  check: Check<T>;
}

export const appTarget = (url: string, key: string, group: number): Target<Counters> => ({
  url,
  key,
  group,
  totalsOf: expectedTotals,
  add: (a, b) => sumCounters([a, b]),
  check: summaryCheck(url, key),
});

export const bareTarget = (url: string, group: number): Target<number> => ({
  url,
  group,
  totalsOf: distinctCounts,
  add: (a, b) => a + b,
  check: async (seller, count) =>
    ((await getOk(`${url}/v1/sellers/${encodeURIComponent(seller)}`)) as { events: number }).events === count,
});

/**
 * Posts rounds of `history` for as long as the figure's posting rule says and stops the clock
 * when every seller's figures equal what was accepted (plus `held`, what they held before);
 * then times and meters the checks alone. The CPU figure is all of workerd's over the clock, the
 * check reads made on it included: the checks alone cannot be taken out reliably, since ledgers
 * flushing while they run would be taken out with them.
 */
export async function streamScenario<T>(
  target: Target<T>,
  name: string,
  history: readonly SellerEventInput[],
  held: Map<string, T> = new Map(),
): Promise<IngestResult & { totals: Map<string, T> }> {
  const posting = postingOf(name);
  let before = held;
  let warmUpSeconds: number | undefined;
  if (posting.warmUp) {
    const warm = warmUpEvents(history);
    const warmStart = performance.now();
    await postEvents(target.url, target.key, warm, { batch: 1000, concurrency: POSTERS });
    before = streamTotals({ round: new Map(), full: 0, partial: target.totalsOf(warm), held }, target.add);
    await waitForSellers(
      before,
      target.check,
      warm.map((e) => e.seller_id),
    );
    warmUpSeconds = (performance.now() - warmStart) / 1000;
  }
  const cpuStart = workerdCpuMs(target.group);
  const start = performance.now();
  const posted = await postFor(target.url, target.key, history, { concurrency: POSTERS, posting });
  const full = Math.floor(posted.events.length / history.length);
  const partial = target.totalsOf(history.slice(0, posted.events.length - full * history.length));
  const totals = streamTotals({ round: target.totalsOf(history), full, partial, held: before }, target.add);
  const postedOrder = posted.events.map((e) => e.seller_id);
  const checkReads = await waitForSellers(totals, target.check, postedOrder);
  const seconds = (performance.now() - start) / 1000;
  const cpuEnd = workerdCpuMs(target.group);

  const checkStart = performance.now();
  await waitForSellers(totals, target.check, postedOrder);
  const checkSeconds = (performance.now() - checkStart) / 1000;
  const checkCpuEnd = workerdCpuMs(target.group);
  const checkCpuMs = checkCpuEnd === null || cpuEnd === null ? null : checkCpuEnd - cpuEnd;
  const cpuMs = cpuStart === null || cpuEnd === null ? null : cpuEnd - cpuStart;
  const events = posted.events.length;
  return {
    name,
    sellers: totals.size,
    events,
    seconds,
    postSeconds: posted.ms / 1000,
    eventsPerSecond: events / seconds,
    checkSeconds,
    checkReads,
    rounds: events / history.length,
    warmUpSeconds,
    cpuMs,
    checkCpuMs,
    cpuPerThousand: perThousand(cpuMs, events),
    totals,
  };
}
