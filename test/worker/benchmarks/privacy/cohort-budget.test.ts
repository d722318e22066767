// Cohort rules: size bands, levels, and widening on noised counts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cohortsOf,
  K_FLOOR,
  mainCategory,
  minimumCohortSize,
  SIZE_BANDS,
  sizeBand,
} from "../../../../src/benchmarks/privacy/cohort.ts";
import { type Candidate, placeByLevel } from "../../../../src/benchmarks/privacy/cohort-placement.ts";

describe("size bands and cohorts", () => {
  it("bands GMV at the public bounds, lower bound inclusive", () => {
    expect(sizeBand(0)).toBe("micro");
    expect(sizeBand(99_999)).toBe("micro");
    expect(sizeBand(100_000)).toBe("small");
    expect(sizeBand(1_000_000)).toBe("mid");
    expect(sizeBand(10_000_000)).toBe("large");
    expect(sizeBand(99_999_999)).toBe("large");
    expect(sizeBand(100_000_000)).toBe("top");
    for (const { band, from } of SIZE_BANDS) expect(sizeBand(from)).toBe(band);
  });

  it("takes the main category by GMV, ties to the first name, none without GMV", () => {
    expect(mainCategory({ toys: 10, books: 30, art: 5 })).toBe("books");
    expect(mainCategory({ toys: 30, books: 30 })).toBe("books");
    expect(mainCategory({ toys: 0 })).toBeNull();
    expect(mainCategory({})).toBeNull();
  });

  it("gives each seller its cohort at every level, narrowest first", () => {
    const levels = cohortsOf({ sellerId: "a", region: "eu", gmvByCategory: { toys: 600_000, books: 100_000 } });
    expect(levels.map((c) => [c.level, c.category, c.region, c.sizeBand])).toEqual([
      ["category+region+size", "toys", "eu", "small"],
      ["category+size", "toys", null, "small"],
      ["size", null, null, "small"],
      ["platform", null, null, null],
    ]);
    expect(new Set(levels.map((c) => c.key)).size).toBe(4);
    const idle = cohortsOf({ sellerId: "b", region: "eu", gmvByCategory: {} });
    expect(idle.map((c) => c.level)).toEqual(["size", "platform"]);
  });
});

describe("placement level by level, on noised counts", () => {
  const seller = (sellerId: string, region: string, category: string, gmv: number): Candidate => ({
    sellerId,
    cohorts: cohortsOf({ sellerId, region, gmvByCategory: { [category]: gmv } }),
  });
  /** A draw that returns the true count plus the next of `noise` (0 once they run out). */
  const drawing = (noise: readonly number[]) => {
    let i = 0;
    const drawn: number[] = [];
    const draw = (n: number) => {
      drawn.push(n);
      return Math.max(0, n + (noise[i++] ?? 0));
    };
    return { drawn, draw };
  };

  it("releases a group whose noised count reaches k and widens the rest, one count per level tried", () => {
    const sellers = [
      ...Array.from({ length: 30 }, (_, i) => seller(`eu-${i}`, "eu", "toys", 500_000)),
      ...Array.from({ length: 12 }, (_, i) => seller(`us-${i}`, "us", "toys", 500_000)),
      ...Array.from({ length: 10 }, (_, i) => seller(`apac-${i}`, "apac", "toys", 500_000)),
    ];
    const { draw, drawn } = drawing([]);
    const { cohorts, sellers: placed } = placeByLevel(sellers, draw, 20);
    expect(cohorts.map((c) => [c.cohort.level, c.cohort.region, c.members.length, c.noisedSellers])).toEqual([
      ["category+region+size", "eu", 30, 30],
      ["category+size", null, 22, 22],
    ]);
    // Level 1 drew eu (30), us (12) and apac (10); level 2 the 22 left: one group of toys+small.
    expect(drawn.sort((a, b) => a - b)).toEqual([10, 12, 22, 30]);
    expect(placed.get("eu-0")).toEqual({ cohortKey: cohorts[0]!.cohort.key, counts: 1 });
    expect(placed.get("us-0")).toEqual({ cohortKey: cohorts[1]!.cohort.key, counts: 2 });
  });

  it("suppresses what no level reaches, having counted it at every level it has", () => {
    const { cohorts, sellers } = placeByLevel([seller("a", "eu", "toys", 500_000)], drawing([]).draw, 20);
    expect(cohorts).toEqual([]);
    expect(sellers.get("a")).toEqual({ cohortKey: null, counts: 4 });
    const idle = { sellerId: "b", cohorts: cohortsOf({ sellerId: "b", region: "eu", gmvByCategory: {} }) };
    expect(placeByLevel([idle], drawing([]).draw, 20).sellers.get("b")).toEqual({ cohortKey: null, counts: 2 });
  });

  it("never releases below k, places each seller at most once, at the first level its group reached k", () => {
    const candidate = fc
      .record({
        region: fc.constantFrom("eu", "us"),
        category: fc.constantFrom("toys", "books", "art"),
        gmv: fc.constantFrom(50_000, 500_000, 5_000_000),
      })
      .map(({ region, category, gmv }) => ({ region, category, gmv }));
    fc.assert(
      fc.property(
        fc.array(candidate, { maxLength: 120 }),
        fc.array(fc.integer({ min: -15, max: 15 }), { maxLength: 60 }),
        fc.integer({ min: 20, max: 40 }),
        (specs, noise, k) => {
          const candidates = specs.map((s, i) => seller(`s-${i}`, s.region, s.category, s.gmv));
          const { draw, drawn } = drawing(noise);
          const { cohorts, sellers } = placeByLevel(candidates, draw, k);
          const releasedIn = new Map<string, string>();
          for (const c of cohorts) {
            expect(c.noisedSellers).toBeGreaterThanOrEqual(k);
            for (const id of c.members) {
              expect(releasedIn.has(id)).toBe(false); // one release per seller
              releasedIn.set(id, c.cohort.key);
            }
          }
          for (const cand of candidates) {
            const place = sellers.get(cand.sellerId)!;
            expect(place.cohortKey).toBe(releasedIn.get(cand.sellerId) ?? null);
            // Counted at each level up to the one it was placed at (all of them when suppressed).
            const at =
              place.cohortKey === null
                ? cand.cohorts.length
                : cand.cohorts.findIndex((c) => c.key === place.cohortKey) + 1;
            expect(place.counts).toBe(at);
          }
          // One draw per group tried, each of the sellers in it counted once.
          expect(drawn.reduce((a, b) => a + b, 0)).toBe([...sellers.values()].reduce((a, p) => a + p.counts, 0));
        },
      ),
    );
  });

  it("refuses k below 20 unless a test passes the explicit flag", () => {
    expect(K_FLOOR).toBe(20);
    expect(() => placeByLevel([], drawing([]).draw, K_FLOOR - 1)).toThrow(/floor/);
    expect(() => minimumCohortSize(0, { belowFloorForTests: true })).toThrow();
    expect(minimumCohortSize(5, { belowFloorForTests: true })).toBe(5);
    const tiny = placeByLevel([seller("a", "eu", "toys", 500_000)], drawing([4]).draw, 5, { belowFloorForTests: true });
    expect(tiny.cohorts.map((c) => c.noisedSellers)).toEqual([5]);
  });
});
