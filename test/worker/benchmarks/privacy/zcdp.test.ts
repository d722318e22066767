// zCDP accounting: the variance a ρ buys, the (ε, δ) a total ρ implies, the cap in ρ, and the
// rolling 365 days that keep every window of a seller's charges within it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUDGET_DAYS,
  type Charge,
  canPay,
  freedOn,
  spentWithin,
  windowStart,
} from "../../../../src/benchmarks/privacy/rolling-budget.ts";
import {
  epsilonOf,
  gaussianVariance,
  parseDelta,
  parseRho,
  rhoValue,
  rhoWithin,
} from "../../../../src/benchmarks/privacy/zcdp.ts";

describe("ρ and the discrete Gaussian's variance", () => {
  it("parses decimals exactly and gives σ² = 1/(2ρ) as a reduced rational", () => {
    expect(parseRho("0.05")).toBe(50_000);
    expect(parseRho("1")).toBe(1_000_000);
    expect(() => parseRho("0.0000001")).toThrow();
    expect(() => parseRho("-1")).toThrow();
    expect(gaussianVariance(parseRho("0.05"))).toEqual({ num: 10, den: 1 });
    expect(gaussianVariance(parseRho("0.004"))).toEqual({ num: 125, den: 1 });
    expect(gaussianVariance(parseRho("0.3"))).toEqual({ num: 5, den: 3 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (micro) => {
        const { num, den } = gaussianVariance(micro);
        expect(num * 2 * micro).toBe(1_000_000 * den);
      }),
    );
  });

  it("parses δ strictly between 0 and 1", () => {
    expect(parseDelta("1e-9")).toBe(1e-9);
    for (const bad of ["0", "1", "-1e-9", "abc", ""]) expect(() => parseDelta(bad)).toThrow();
  });
});

describe("ρ-zCDP to (ε, δ)", () => {
  it("matches OpenDP's conversion of the Gaussian mechanism at scale 4 (ρ = 1/32, δ = 1e-3)", () => {
    expect(epsilonOf(1 / 32, 1e-3)).toBeCloseTo(0.6880024554878085, 5);
  });

  it("is at most the simpler bound ρ + 2√(ρ ln(1/δ)), and at least ρ at the δ we use", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 50, noNaN: true }),
        fc.double({ min: 1e-15, max: 0.1, noNaN: true }),
        (rho, delta) => {
          const eps = epsilonOf(rho, delta);
          expect(eps).toBeGreaterThanOrEqual(0);
          expect(eps).toBeLessThanOrEqual(rho + 2 * Math.sqrt(rho * Math.log(1 / delta)) + 1e-6);
          if (delta <= 1e-6) expect(eps).toBeGreaterThanOrEqual(rho);
        },
      ),
    );
  });

  it("grows with ρ and shrinks as δ grows", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 20, noNaN: true }),
        fc.double({ min: 1e-4, max: 20, noNaN: true }),
        fc.double({ min: 1e-12, max: 1e-2, noNaN: true }),
        (a, b, delta) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(epsilonOf(lo, delta)).toBeLessThanOrEqual(epsilonOf(hi, delta));
          expect(epsilonOf(hi, delta * 10)).toBeLessThanOrEqual(epsilonOf(hi, delta));
        },
      ),
    );
  });

  it("the cap in ρ is the largest micro-ρ whose ε stays within the cap", () => {
    for (const [eps, delta] of [
      [10, 1e-9],
      [1, 1e-9],
      [5, 1e-6],
    ] as const) {
      const cap = rhoWithin(eps, delta);
      expect(epsilonOf(rhoValue(cap), delta)).toBeLessThanOrEqual(eps);
      expect(epsilonOf(rhoValue(cap + 1), delta)).toBeGreaterThan(eps);
    }
    expect(rhoValue(rhoWithin(10, 1e-9))).toBeCloseTo(1.0908, 4);
  });
});

describe("the budget over any rolling 365 days", () => {
  const DAY_MS = 86_400_000;
  const dayOf = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * DAY_MS).toISOString().slice(0, 10);

  it("counts the 365 days ending on the run's day, and frees a charge 365 days after it", () => {
    expect(windowStart("2026-12-31")).toBe("2026-01-01");
    expect(freedOn("2026-01-01")).toBe("2027-01-01");
    const charges: Charge[] = [
      { day: "2025-12-31", rho: 5 },
      { day: "2026-01-01", rho: 7 },
      { day: "2026-12-31", rho: 11 },
      { day: "2027-01-01", rho: 13 },
    ];
    expect(spentWithin(charges, "2026-12-31")).toBe(18);
    expect(spentWithin(charges, "2027-01-01")).toBe(24);
    expect(canPay(90, 10, 100)).toBe(true);
    expect(canPay(91, 10, 100)).toBe(false);
    expect(() => canPay(1.5, 1, 10)).toThrow();
  });

  it("admitting a run only when the seller can pay keeps every 365-day window within the cap", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 400 })), { maxLength: 60 }),
        fc.integer({ min: 0, max: 1000 }),
        (runs, cap) => {
          const charges: Charge[] = [];
          // Runs happen in time order; each is charged if the seller can pay on its day.
          for (const [day, cost] of [...runs].sort((a, b) => a[0] - b[0])) {
            if (canPay(spentWithin(charges, dayOf(day)), cost, cap)) charges.push({ day: dayOf(day), rho: cost });
          }
          for (let start = 0; start <= 1500; start += 7) {
            const total = charges
              .filter((c) => {
                const d = (Date.parse(`${c.day}T00:00:00Z`) - Date.UTC(2026, 0, 1)) / DAY_MS;
                return d >= start && d < start + BUDGET_DAYS;
              })
              .reduce((s, c) => s + c.rho, 0);
            expect(total).toBeLessThanOrEqual(cap);
          }
        },
      ),
    );
  });
});
