// The summary's periods, summed per bucket (as the ledger's SQL does) and then added up.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COUNTER_FIELDS, type Counters, DAY_MS, HOUR_MS, sumCounters } from "../../../src/metrics/counters.ts";
import { nextTimeChange, periodStarts, previousHours } from "../../../src/metrics/summary.ts";
import { periodTotals } from "../../support/reference-summary.ts";

const counters = fc.record(
  Object.fromEntries(COUNTER_FIELDS.map((f) => [f, fc.integer({ min: -1_000, max: 1_000_000 })])) as Record<
    keyof Counters,
    fc.Arbitrary<number>
  >,
);

describe("periodTotals", () => {
  it("gives each period the sum of the hours since its start, whatever the hours", () => {
    const nowMs = Date.UTC(2026, 10, 23, 13, 20);
    const nowHour = Math.floor(nowMs / HOUR_MS);
    // Hours from 40 days back to a few hours ahead (clock skew), and often right at a boundary.
    const starts = periodStarts(nowMs);
    const edges = [starts.today, starts["7d"], starts["30d"]].flatMap((h) => [h - 1, h, h + 1]);
    const hour = fc.oneof(fc.integer({ min: nowHour - 40 * 24, max: nowHour + 3 }), fc.constantFrom(...edges));
    fc.assert(
      fc.property(fc.array(fc.tuple(hour, counters), { maxLength: 30 }), (rows) => {
        const since = (start: number) => sumCounters(rows.filter(([h]) => h >= start).map(([, c]) => c));
        expect(periodTotals(rows, nowMs)).toEqual({
          today: since(starts.today),
          "7d": since(starts["7d"]),
          "30d": since(starts["30d"]),
          all: since(-Infinity),
        });
      }),
    );
  });

  it("starts today at UTC midnight and the 7 and 30 days six and 29 days before it", () => {
    const nowMs = Date.UTC(2026, 10, 23, 0, 0);
    const starts = periodStarts(nowMs);
    expect(starts.today * HOUR_MS).toBe(nowMs);
    expect(starts["7d"] * HOUR_MS).toBe(nowMs - 6 * DAY_MS);
    expect(starts["30d"] * HOUR_MS).toBe(nowMs - 29 * DAY_MS);
  });
});

describe("previousHours", () => {
  it("compares today with yesterday up to this hour, and 7d and 30d with the days just before them", () => {
    const nowMs = Date.UTC(2026, 10, 23, 13, 20);
    const starts = periodStarts(nowMs);
    const prev = previousHours(nowMs);
    expect(prev.today).toEqual([starts.today - 24, starts.today - 24 + 14]); // 00:00 to 13:59 yesterday
    expect(prev["7d"]).toEqual([starts["7d"] - 7 * 24, starts["7d"]]);
    expect(prev["30d"]).toEqual([starts["30d"] - 30 * 24, starts["30d"]]);
    // Disjoint, so one statement sums all three.
    expect(prev.today[0]).toBeGreaterThanOrEqual(prev["7d"][1]);
    expect(prev["7d"][0]).toBeGreaterThanOrEqual(prev["30d"][1]);
  });
});

describe("nextTimeChange", () => {
  it("is the next UTC midnight, or the millisecond after the next deadline if that comes first", () => {
    const dayStart = Date.UTC(2026, 10, 23);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: DAY_MS - 1 }),
        fc.option(fc.integer({ min: 0, max: 3 * DAY_MS })),
        (offset, ahead) => {
          const now = dayStart + offset;
          const deadline = ahead === null ? null : now + ahead;
          const next = nextTimeChange(now, deadline);
          expect(next).toBeGreaterThan(now);
          expect(next).toBeLessThanOrEqual(dayStart + DAY_MS);
          expect(next).toBe(deadline !== null && deadline < dayStart + DAY_MS ? deadline + 1 : dayStart + DAY_MS);
        },
      ),
    );
  });
});
