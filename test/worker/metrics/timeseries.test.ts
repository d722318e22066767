// Timeseries: each metric comes from its own counters alone, and the ledger's per-bucket SQL
// gives the points that summing the raw hours of each bucket here gives.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { history } from "../../../simulator/generate.ts";
import { validateEvents } from "../../../src/events/validate.ts";
import {
  COUNTER_FIELDS,
  type Counters,
  DAY_MS,
  emptyCounters,
  HOUR_MS,
  sumCounters,
} from "../../../src/metrics/counters.ts";
import { periodOf } from "../../../src/metrics/summary.ts";
import { type Granularity, METRIC_FIELDS, METRICS, type Metric } from "../../../src/metrics/timeseries.ts";

const counters = fc.record(
  Object.fromEntries(COUNTER_FIELDS.map((f) => [f, fc.nat({ max: 1_000_000 })])) as Record<
    keyof Counters,
    fc.Arbitrary<number>
  >,
);

describe("METRIC_FIELDS", () => {
  it("names every counter a metric is derived from", () => {
    fc.assert(
      fc.property(counters, (all) => {
        for (const metric of METRICS) {
          const only = { ...emptyCounters() };
          for (const field of METRIC_FIELDS[metric]) only[field] = all[field];
          expect(periodOf(only)[metric], metric).toBe(periodOf(all)[metric]);
        }
      }),
    );
  });
});

/** The model: each bucket's raw hours summed here, a bucket per UTC hour or day starting in [from, to). */
function fromRawHours(raw: [number, Counters][], metric: Metric, granularity: Granularity, from: number, to: number) {
  const size = granularity === "hour" ? HOUR_MS : DAY_MS;
  const points: { t: string; value: number | null }[] = [];
  for (let start = Math.ceil(from / size) * size; start < to; start += size) {
    const inBucket = raw.filter(([hour]) => hour * HOUR_MS >= start && hour * HOUR_MS < start + size);
    points.push({ t: new Date(start).toISOString(), value: periodOf(sumCounters(inBucket.map(([, c]) => c)))[metric] });
  }
  return points;
}

describe("the ledger's timeseries", () => {
  it("equals each bucket's raw hours summed, for every metric, granularity and range", async () => {
    const endMs = Date.now() - 60_000;
    const events = history({
      seed: 11,
      sellers: 1,
      days: 4,
      ordersPerDay: 120,
      visitEveryHours: 3,
      prefix: "ts",
      endMs,
    });
    const { valid } = validateEvents(events, "USD", Date.now());
    const ledger = env.LEDGER.getByName("acme:ts-1");
    await ledger.apply("acme", "ts-1", "USD", valid);

    const raw = await runInDurableObject(ledger, (_, state) =>
      state.storage.sql
        .exec<Counters & { hour: number }>(`SELECT hour, ${COUNTER_FIELDS.join(", ")} FROM hourly`)
        .toArray()
        .map((row): [number, Counters] => [row.hour, row]),
    );
    expect(raw.length).toBeGreaterThan(24);
    const ranges: [Granularity, number, number][] = [
      ["hour", endMs - 2 * DAY_MS, endMs],
      ["hour", endMs - 7 * HOUR_MS + 1234, endMs - 30 * 60_000], // bounds inside hours
      ["day", endMs - 6 * DAY_MS, endMs + DAY_MS],
      ["day", endMs - 3.5 * DAY_MS, endMs - 0.5 * DAY_MS],
    ];
    for (const metric of METRICS) {
      for (const [granularity, from, to] of ranges) {
        const expected = fromRawHours(raw, metric, granularity, from, to);
        expect(await ledger.timeseries(metric, granularity, from, to), `${metric} by ${granularity}`).toEqual(expected);
      }
    }
  });
});
