/**
 * The 1,000-seller history applied by calling the Durable Objects directly (perf/ledger: no
 * HTTP, queue or checks): how much of the ingest figure the ledgers themselves cost. Once in
 * slices of 4,000 events (what the consumer's batches carried, ~5 events per call), once whole
 * (one call per seller, the fewest calls there can be).
 */
import { type Bench, type Measured, times, withWorker } from "../bench.ts";
import { SCENARIOS } from "../scenarios.ts";

const PORT = 8803;
const SLICES = [4_000, 1_000_000];

interface LedgerAlone {
  slice: number;
  events: number;
  calls: number;
  ms: number;
  eventsPerSecond: number;
}

export async function ledgerAlone(bench: Bench): Promise<Measured> {
  const results = await withWorker(bench, "ledger", PORT, async (url) => {
    const results: LedgerAlone[] = [];
    for (const slice of SLICES) {
      const body = { scenario: SCENARIOS["1,000 sellers"], slice, run: `slice-${slice}` };
      const res = await fetch(url, { method: "POST", body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`the ledger alone answered ${res.status}: ${await res.text()}`);
      const run = (await res.json()) as { events: number; calls: number; ms: number };
      const result = { ...run, slice, eventsPerSecond: run.events / (run.ms / 1000) };
      bench.log(
        `ledger alone, 1,000 sellers, slices of ${slice}: ${run.events} events in ${run.calls} calls, ` +
          `${(run.ms / 1000).toFixed(1)} s = ${result.eventsPerSecond.toFixed(0)} events/s`,
      );
      results.push(result);
    }
    return results;
  });
  return {
    json: results,
    rows: (baseline) =>
      results.map((r) => {
        const sliced = r.slice < r.events;
        return [
          `the ledger alone, 1,000 sellers, ${sliced ? `slices of ${r.slice} events` : "one call per seller"}`,
          `${r.eventsPerSecond.toFixed(0)} events/s`,
          times(r.eventsPerSecond, baseline),
          `the same history applied by calling the Durable Objects directly (no HTTP, queue or checks)` +
            `${sliced ? ", one call per seller per slice" : ""}: ${r.calls} calls, ${(r.events / r.calls).toFixed(1)} events each`,
        ];
      }),
  };
}

/** A/B rounds of the minute counters and ticker part (each a request applying both, slice by slice). */
const AB_ROUNDS = 4; // as many as the ledgers weighed: each takes each place in each slice once

/**
 * What the minute counters and the live ticker cost: the 20-seller history applied to the ledger
 * with them and without them (perf/ledger's WithoutMinutes), a live socket open on every seller
 * in both, slices of 4,000 events as the consumer's, each slice to each ledger in turn (which
 * goes first rotating), so that the machine's load within the run falls on both alike. A third
 * ledger keeps its minutes without the ticker (how the cost splits), and a fourth is the first
 * again (a control: how far apart the method puts two identical ledgers).
 */
export async function sellerDayCost(bench: Bench): Promise<Measured> {
  const rounds = await withWorker(bench, "ledger", PORT, async (url) => {
    const zero = () => ({ events: 0, ms: 0, messages: 0 });
    const totals = { with: zero(), control: zero(), without: zero(), minutesOnly: zero() };
    const labels = {
      with: "with minutes and ticker",
      control: "with them (control: the same ledger again)",
      without: "without minutes and ticker",
      minutesOnly: "minutes, no ticker",
    };
    for (let round = 0; round < AB_ROUNDS; round++) {
      const body = { scenario: SCENARIOS["20 sellers"], slice: SLICES[0], run: `ab-${round}`, ab: true, offset: round };
      const res = await fetch(url, { method: "POST", body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`the ledger alone answered ${res.status}: ${await res.text()}`);
      const run = (await res.json()) as { events: number } & Record<
        keyof typeof totals,
        { ms: number; messages: number }
      >;
      for (const variant of Object.keys(totals) as (keyof typeof totals)[]) {
        const { ms, messages } = run[variant];
        bench.log(
          `seller day A/B, round ${round + 1}, ${labels[variant]}: ${run.events} events in ` +
            `${(ms / 1000).toFixed(1)} s = ${((1000 * run.events) / ms).toFixed(0)} events/s, ${messages} live messages`,
        );
        totals[variant].events += run.events;
        totals[variant].ms += ms;
        totals[variant].messages += messages;
      }
    }
    return totals;
  });
  const rate = (t: { events: number; ms: number }) => (1000 * t.events) / t.ms;
  const cost = 1 - rate(rounds.with) / rate(rounds.without);
  const minutesCost = 1 - rate(rounds.minutesOnly) / rate(rounds.without);
  // The method's own error: the same ledger twice should differ by nothing.
  const controlGap = 1 - rate(rounds.with) / rate(rounds.control);
  bench.log(
    `seller day A/B: minutes and ticker cost ${(100 * cost).toFixed(1)}%, the minutes alone ` +
      `${(100 * minutesCost).toFixed(1)}%; the same ledger twice differs by ${(100 * controlGap).toFixed(1)}%`,
  );
  return {
    json: { ...rounds, cost, minutesCost, controlGap },
    rows: (baseline) => [
      [
        "minute counters and live ticker, the ledger alone (A/B)",
        `${(100 * cost).toFixed(1)}% of throughput`,
        times(rate(rounds.with), baseline),
        `20 sellers' history in slices of 4,000 events, a live socket on every seller, each slice to each ledger in turn: ${rate(rounds.with).toFixed(0)} ` +
          `events/s with them, ${rate(rounds.without).toFixed(0)} without (the minutes alone: ${(100 * minutesCost).toFixed(1)}%; the same ledger twice: ${(100 * controlGap).toFixed(1)}%), ${AB_ROUNDS} rounds; goal ≤ 5%`,
      ],
    ],
  };
}
