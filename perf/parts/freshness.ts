/**
 * Freshness: from a 202 to the event showing in the push and in the summary, under live traffic
 * at a steady 1,000 events/s (about three times the evening peak of a million orders a day) and
 * under a history replayed as fast as the app accepts it.
 */
import type { Bench, Measured, Row } from "../bench.ts";
import { type Freshness, measureFreshness } from "../freshness.ts";

const LOADS = [
  ["steady", 1000],
  ["saturating", undefined],
] as const;

export async function freshness(bench: Bench): Promise<Measured> {
  await bench.settle();
  const runs: (Freshness & { name: string })[] = [];
  for (const [name, backgroundRate] of LOADS) {
    bench.log(`freshness under ${name} background load…`);
    const r = await measureFreshness(bench.app.url, bench.app.key, {
      name,
      ...(backgroundRate ? { backgroundRate } : {}),
    });
    bench.log(
      `freshness (${name}, ${r.backgroundRate.toFixed(0)} background events/s): push p50 ${r.pushP50.toFixed(0)} ms, ` +
        `p99 ${r.pushP99.toFixed(0)} ms; summary p50 ${r.summaryP50.toFixed(0)} ms, p99 ${r.summaryP99.toFixed(0)} ms`,
    );
    runs.push({ name, ...r });
    bench.wrote();
  }
  return {
    json: runs,
    rows: () =>
      runs.flatMap((f): Row[] => {
        const load = `${f.name} background load, ${f.backgroundRate.toFixed(0)} events/s (${f.backgroundEvents} events)`;
        return [
          [
            `freshness, WebSocket push (${f.name} load)`,
            `p50 ${f.pushP50.toFixed(0)} ms, p99 ${f.pushP99.toFixed(0)} ms`,
            "",
            `${f.probes} events after their 202, ${load}; goal p99 ≤ ${goalMs(f.name)} ms`,
          ],
          [
            `freshness, summary read (${f.name} load)`,
            `p50 ${f.summaryP50.toFixed(0)} ms, p99 ${f.summaryP99.toFixed(0)} ms`,
            "",
            `polled every 5 ms; ${load}; goal p99 ≤ ${goalMs(f.name)} ms`,
          ],
        ];
      }),
  };
}

/** p99 goals, push and polled read alike: 100 ms under steady traffic, 250 ms under a saturating replay. */
const goalMs = (load: string) => (load === "steady" ? 100 : 250);
