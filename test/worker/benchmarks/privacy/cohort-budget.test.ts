// Cohort rules (size bands, levels, widening on noised counts) and the budget that admits releases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { admitReleases, type ReleaseProposal, releaseEpsilon } from "../../../../src/benchmarks/privacy/budget.ts";
import {
  cohortsOf,
  K_FLOOR,
  mainCategory,
  minimumCohortSize,
  SIZE_BANDS,
  sizeBand,
} from "../../../../src/benchmarks/privacy/cohort.ts";
import { type Candidate, placeByLevel } from "../../../../src/benchmarks/privacy/cohort-placement.ts";
import { parseEpsilon } from "../../../../src/benchmarks/privacy/epsilon.ts";

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

const sellers = ["a", "b", "c", "d", "e", "f"];
const spends = fc
  .array(fc.tuple(fc.constantFrom(...sellers), fc.integer({ min: 0, max: 4_000_000 })), { maxLength: 6 })
  .map((entries) => new Map(entries));
const proposals = fc
  .uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      members: fc.array(fc.constantFrom(...sellers), { maxLength: 6 }),
      epsilon: fc.integer({ min: 0, max: 2_000_000 }),
    }),
    { selector: (p) => p.id, maxLength: 12 },
  )
  .map((ps) => ps as ReleaseProposal[]);
const cap = fc.integer({ min: 0, max: 5_000_000 });

describe("privacy budget", () => {
  it("adds a release's ε by basic composition: the count plus each metric", () => {
    expect(releaseEpsilon(parseEpsilon("0.1"), parseEpsilon("0.5"), 9)).toBe(parseEpsilon("4.6"));
  });

  it("never takes a member past the cap, and charges exactly the admitted releases", () => {
    fc.assert(
      fc.property(spends, proposals, cap, (before, list, limit) => {
        const { admitted, refused, spent } = admitReleases(before, list, limit);
        expect([...admitted, ...refused.map((r) => r.id)].sort()).toEqual(list.map((p) => p.id).sort());
        for (const id of sellers) {
          const charged = list
            .filter((p) => admitted.includes(p.id) && new Set(p.members).has(id))
            .reduce((sum, p) => sum + p.epsilon, 0);
          expect(spent.get(id) ?? 0).toBe((before.get(id) ?? 0) + charged);
          if (charged > 0) expect(spent.get(id)!).toBeLessThanOrEqual(limit);
        }
        for (const r of refused) expect(r.over.length).toBeGreaterThan(0);
      }),
    );
  });

  it("is deterministic and order-stable: a proposal's fate depends only on those before it", () => {
    fc.assert(
      fc.property(spends, proposals, cap, fc.nat(), (before, list, limit, cut) => {
        const whole = admitReleases(before, list, limit);
        expect(admitReleases(before, list, limit)).toEqual(whole);
        const prefix = list.slice(0, cut % (list.length + 1));
        const part = admitReleases(before, prefix, limit);
        expect(part.admitted).toEqual(whole.admitted.filter((id) => prefix.some((p) => p.id === id)));
      }),
    );
  });

  it("says which sellers a refusal is for, and refuses a release costlier than the cap on its own", () => {
    const before = new Map([["a", parseEpsilon("4.5")]]);
    const decision = admitReleases(
      before,
      [
        { id: "r1", members: ["a", "b"], epsilon: parseEpsilon("1") },
        { id: "r2", members: ["b", "c"], epsilon: parseEpsilon("1") },
        { id: "r3", members: ["d"], epsilon: parseEpsilon("6") },
      ],
      parseEpsilon("5"),
    );
    expect(decision.admitted).toEqual(["r2"]);
    expect(decision.refused.map((r) => [r.id, r.over])).toEqual([
      ["r1", ["a"]],
      ["r3", ["d"]],
    ]);
    expect(decision.refused[0]!.reason).toBe(
      "1 of 2 sellers would pass the cap of ε 5 with this release's ε 1: a (spent 4.5)",
    );
    const twice = { id: "r", members: [], epsilon: 0 };
    expect(() => admitReleases(new Map(), [twice, twice], 1)).toThrow(/twice/);
  });
});
