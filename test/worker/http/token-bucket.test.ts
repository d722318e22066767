// The token bucket that counts a platform's rates: never grants more than a full bucket and what
// refilled since, tells a refused caller a wait after which the same take is granted, lets leases
// take at most a quarter of what would be left, and grants a forced take into debt.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../../src/http/token-bucket.ts";

const PERIOD = 10_000;
const runs = 300;

const takes = fc.array(
  fc.record({
    afterMs: fc.integer({ min: 0, max: 3_000 }),
    units: fc.integer({ min: 1, max: 60 }),
    lease: fc.integer({ min: 1, max: 40 }),
  }),
  { minLength: 1, maxLength: 200 },
);

describe("the token bucket", () => {
  it("grants at most a full bucket and what refilled since, whatever the takes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 1_000 }), takes, (limit, sequence) => {
        const bucket = new TokenBucket();
        let now = 0;
        let granted = 0;
        for (const { afterMs, units, lease } of sequence) {
          now += afterMs;
          const taken = bucket.take({ units, limit, periodMs: PERIOD, lease }, now);
          expect(taken.granted === 0 || taken.granted >= units).toBe(true);
          granted += taken.granted;
          expect(granted).toBeLessThanOrEqual(limit + (now * limit) / PERIOD + 1e-6);
        }
      }),
      { numRuns: runs },
    );
  });

  it("tells a refused caller a wait after which the same take is granted", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 2_000 }), (limit, units) => {
        const bucket = new TokenBucket();
        bucket.take({ units: limit, limit, periodMs: PERIOD }, 0); // empty
        const refused = bucket.take({ units, limit, periodMs: PERIOD }, 0);
        expect(refused.granted).toBe(0);
        expect(refused.retryAfterMs).toBeGreaterThan(0);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(PERIOD);
        expect(bucket.take({ units, limit, periodMs: PERIOD }, refused.retryAfterMs).granted).toBe(units);
      }),
      { numRuns: runs },
    );
  });

  it("leases a share of what is left, and grants a forced take whole into debt", () => {
    const bucket = new TokenBucket();
    expect(bucket.take({ units: 1, limit: 100, periodMs: PERIOD, lease: 5 }, 0).granted).toBe(5);
    expect(bucket.take({ units: 80, limit: 100, periodMs: PERIOD, lease: 90 }, 0).granted).toBe(83); // (95-80)/4
    expect(bucket.take({ units: 500, limit: 100, periodMs: PERIOD, force: true }, 0).granted).toBe(500);
    // 488 in debt: nothing until it is paid, then one more at 10 a second.
    const refused = bucket.take({ units: 1, limit: 100, periodMs: PERIOD }, 0);
    expect(refused).toEqual({ granted: 0, retryAfterMs: 48_900 });
    expect(bucket.take({ units: 1, limit: 100, periodMs: PERIOD, force: true }, 48_000).granted).toBe(0);
  });
});
