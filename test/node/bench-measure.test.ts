// What the ingest figures of `npm run bench` rest on, without running one: workerd's CPU time read
// from /proc stat lines (its processes and their children, nothing else), the per-1,000-events and
// share-of-the-bare-pipeline arithmetic, rounds of a history that add up exactly, and the rule that
// every ingest figure posts for at least 10 s. No timing is asserted.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ProcStat, parseStat, perThousand, shareOfBare, workerdCpuMsOf } from "../../perf/cpu.ts";
import { MIN_POSTING_MS, POSTING, postingOf } from "../../perf/scenarios.ts";
import { batches, relabel, streamTotals, takesAnother } from "../../perf/stream.ts";
import { distinctCounts, warmUpEvents } from "../../perf/streamed.ts";
import { expectedTotals } from "../../simulator/expected.ts";
import { history } from "../../simulator/generate.ts";
import { type Counters, sumCounters } from "../../src/metrics/counters.ts";

/** A stat line as Linux writes it: 52 fields, comm in parentheses. */
function statLine(s: ProcStat): string {
  const after = ["S", s.ppid, s.group, s.group, 0, -1, 4194560, 100, 0, 0, 0, s.utime, s.stime, s.cutime, s.cstime];
  return `${s.pid} (${s.comm}) ${[...after, ...Array(37).fill(0)].join(" ")}`;
}

const procStat = fc.record({
  pid: fc.integer({ min: 1, max: 4_000_000 }),
  comm: fc.oneof(
    fc.constant("workerd"),
    fc.string({ maxLength: 15 }).filter((c) => !c.includes("\n")),
  ),
  ppid: fc.integer({ min: 0, max: 4_000_000 }),
  group: fc.integer({ min: 1, max: 4_000_000 }),
  utime: fc.nat(10_000_000),
  stime: fc.nat(10_000_000),
  cutime: fc.nat(10_000_000),
  cstime: fc.nat(10_000_000),
});

describe("workerd's CPU time from /proc", () => {
  it("reads back every field of a stat line, whatever its comm holds (spaces and parentheses too)", () => {
    fc.assert(fc.property(procStat, (s) => void expect(parseStat(statLine(s))).toEqual(s)));
    expect(parseStat("12 (Web Content) (x) S 1 12 12 0 -1 0 0 0 0 0 7 3 1 2 20 0")).toMatchObject({
      comm: "Web Content) (x",
      utime: 7,
      stime: 3,
      cutime: 1,
      cstime: 2,
    });
  });

  it("is not fooled by what is not a stat line", () => {
    for (const line of ["", "12 workerd S 1", "12 (workerd) S 1 2", "x (workerd) S a b c d e f g h i j k l m n"])
      expect(parseStat(line)).toBeNull();
  });

  it("counts the group's workerd processes and everything below them, each once, in ms (100 ticks a second)", () => {
    const wrangler = { pid: 10, comm: "node", ppid: 1, group: 10, utime: 900, stime: 900, cutime: 0, cstime: 0 };
    const workerd = { pid: 11, comm: "workerd", ppid: 10, group: 10, utime: 200, stime: 50, cutime: 5, cstime: 5 };
    const second = { pid: 12, comm: "workerd", ppid: 10, group: 10, utime: 100, stime: 0, cutime: 0, cstime: 0 };
    const child = { pid: 13, comm: "sh", ppid: 11, group: 99, utime: 30, stime: 10, cutime: 0, cstime: 0 };
    const grandchild = { pid: 14, comm: "sqlite", ppid: 13, group: 99, utime: 1, stime: 1, cutime: 0, cstime: 0 };
    const elsewhere = { pid: 20, comm: "workerd", ppid: 1, group: 20, utime: 5000, stime: 0, cutime: 0, cstime: 0 };
    const all = [wrangler, workerd, second, child, grandchild, elsewhere];
    expect(workerdCpuMsOf(all, 10)).toBe((260 + 100 + 40 + 2) * 10);
    expect(workerdCpuMsOf(all, 20)).toBe(50_000);
    expect(workerdCpuMsOf(all, 30)).toBe(0);
  });

  it("is the sum over the group's workerd processes, however the others are arranged", () => {
    fc.assert(
      fc.property(fc.uniqueArray(procStat, { selector: (s) => s.pid, maxLength: 30 }), (stats) => {
        // Parents that are not in the list: no process has a child, so only the group's workerd count.
        const flat = stats.map((s) => ({ ...s, ppid: 0 }));
        const group = flat[0]?.group ?? 1;
        const want = flat
          .filter((s) => s.comm === "workerd" && s.group === group)
          .reduce((sum, s) => sum + s.utime + s.stime + s.cutime + s.cstime, 0);
        expect(workerdCpuMsOf(flat, group)).toBe(want * 10);
      }),
    );
  });
});

describe("the figures' arithmetic", () => {
  it("gives CPU ms per 1,000 events, and nothing without a reading or events", () => {
    expect(perThousand(2_500, 10_000)).toBe(250);
    expect(perThousand(null, 10_000)).toBeNull();
    expect(perThousand(100, 0)).toBeNull();
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.integer({ min: 1, max: 1e7 }), (ms, events) => {
        expect(perThousand(ms, events)! * events).toBeCloseTo(ms * 1000, 3);
      }),
    );
  });

  it("sets the app beside the bare pipeline so that higher is better by both measures", () => {
    const bare = { eventsPerSecond: 10_000, cpuPerThousand: 100 };
    expect(shareOfBare({ eventsPerSecond: 7_000, cpuPerThousand: 200 }, bare)).toEqual({ throughput: 70, cpu: 50 });
    expect(shareOfBare({ eventsPerSecond: 10_000, cpuPerThousand: null }, bare)).toEqual({
      throughput: 100,
      cpu: null,
    });
  });
});

describe("posting for a duration", () => {
  it("gives every ingest figure at least 10 s of posting", () => {
    expect(MIN_POSTING_MS).toBeGreaterThanOrEqual(10_000);
    for (const [name, posting] of Object.entries(POSTING)) {
      expect(posting.minMs, name).toBeGreaterThanOrEqual(10_000);
      expect(postingOf(name)).toBe(posting);
    }
    expect(() => postingOf("a figure nobody defined")).toThrow(/POSTING/);
  });

  it("takes requests until the time is up, and past it only for a first round asked whole", () => {
    const short = { minMs: 10_000, wholeFirstRound: false };
    const whole = { minMs: 10_000, wholeFirstRound: true };
    expect(takesAnother(9_999, short, false)).toBe(true);
    expect(takesAnother(10_000, short, false)).toBe(false);
    expect(takesAnother(60_000, whole, false)).toBe(true);
    expect(takesAnother(10_000, whole, true)).toBe(false);
  });

  const endMs = Date.UTC(2026, 5, 1, 12);
  const small = history({ seed: 7, sellers: 6, days: 1, ordersPerDay: 120, prefix: "t", endMs });

  it("cuts requests round after round, never across two, with no id repeated", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 5 }), (batch, rounds) => {
        const stream = batches(small, batch);
        const taken = [];
        while (taken.flat().length < small.length * rounds) taken.push(stream.next());
        const events = taken.flat();
        expect(events).toHaveLength(small.length * rounds);
        expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
        expect(stream.firstRoundTaken()).toBe(true);
        for (const request of taken) expect(new Set(request.map((e) => e.event_id.split("~")[1])).size).toBe(1);
      }),
      { numRuns: 20 },
    );
  });

  it("expects whole rounds and a part of the next to add up to what the ledger's own fold makes of them", () => {
    const add = (a: Counters, b: Counters) => sumCounters([a, b]);
    const warm = warmUpEvents(small);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: small.length - 1 }), (full, part) => {
        const posted = [...warm];
        for (let n = 0; n < full; n++) posted.push(...relabel(small, n));
        posted.push(...relabel(small, full).slice(0, part));
        const totals = streamTotals(
          {
            round: expectedTotals(small),
            full,
            partial: expectedTotals(small.slice(0, part)),
            held: expectedTotals(warm),
          },
          add,
        );
        expect(totals).toEqual(expectedTotals(posted));
        const counts = streamTotals(
          {
            round: distinctCounts(small),
            full,
            partial: distinctCounts(small.slice(0, part)),
            held: distinctCounts(warm),
          },
          (a, b) => a + b,
        );
        expect(counts).toEqual(distinctCounts(posted));
      }),
      { numRuns: 15 },
    );
  });
});
