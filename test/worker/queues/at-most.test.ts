// eachAtMost: the consumer's bounded fan-out to the ledgers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eachAtMost } from "../../../src/queues/at-most.ts";

describe("eachAtMost", () => {
  it("runs every item once, never more than the limit at a time, and the limit when there is work for it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        async (delays, limit) => {
          const ran: number[] = [];
          let inFlight = 0;
          let most = 0;
          await eachAtMost(
            delays.map((delay, index) => ({ delay, index })),
            limit,
            async ({ delay, index }) => {
              most = Math.max(most, ++inFlight);
              await new Promise((resolve) => setTimeout(resolve, delay));
              ran.push(index);
              inFlight--;
            },
          );
          expect([...ran].sort((a, b) => a - b)).toEqual(delays.map((_, i) => i));
          expect(most).toBe(Math.min(limit, delays.length));
        },
      ),
      { numRuns: 50 },
    );
  });
});
