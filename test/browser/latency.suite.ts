// A measurement, printed and not asserted: the time from a 202 (the events are durably queued) to
// the card changing on the page, over 50 events posted one at a time to a seller whose dashboard
// is open, on a quiet stack (after the cohort's jobs). Both clocks are this machine's.
import { describe, expect, it } from "vitest";
import { eventsAt } from "../support/builders.ts";
import type { SuiteContext } from "./harness.ts";

const EVENTS = 50;

/** The nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;

export function latencySuite(context: () => SuiteContext): void {
  describe("from a 202 to the card", () => {
    it(`is measured over ${EVENTS} events (p50, p99)`, async () => {
      const { h, cohortReady } = context();
      await cohortReady;
      const seller = "s-latency";
      const session = await h.mintSession({ seller_id: seller });
      const { page, errors } = await h.openPage();
      await page.goto(session.dashboard_url);
      await page.locator('[data-testid="dashboard"]').waitFor({ state: "visible" });
      await page.waitForFunction(
        () => document.querySelector("[data-testid=connection]")?.getAttribute("data-state") === "live",
      );
      // Every change of the orders card, stamped by the page's clock as it happens.
      await page.evaluate(() => {
        const card = document.querySelector("[data-testid=orders]")!;
        const seen: [string, number][] = [];
        (window as any).__orders = seen;
        new MutationObserver(() => seen.push([card.textContent ?? "", Date.now()])).observe(card, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
      const b = eventsAt(Date.now() - 60_000);
      const fromSend: number[] = [];
      const from202: number[] = [];
      for (let i = 1; i <= EVENTS; i++) {
        const sent = Date.now();
        const res = await h.fetch(`${h.stack.url}/v1/events`, {
          method: "POST",
          headers: { Authorization: `Bearer ${h.stack.demoKey}`, "Content-Type": "application/json" },
          body: JSON.stringify([b.placed(seller, `lat-${i}`, 0)]),
        });
        const accepted = Date.now(); // the 202's status line and headers are in
        expect(res.status).toBe(202);
        await res.arrayBuffer();
        const shownAt = await page.waitForFunction(
          (n) => (window as any).__orders.find(([text]: [string]) => text === String(n))?.[1],
          i,
          { timeout: 15_000, polling: 10 },
        );
        const changed: number = await shownAt.jsonValue();
        fromSend.push(changed - sent);
        from202.push(changed - accepted);
      }
      const line = (values: number[]) => {
        const sorted = values.toSorted((x, y) => x - y);
        return `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms (min ${sorted[0]}, max ${sorted.at(-1)})`;
      };
      // A negative time: the card changed before the 202 reached this process (the push overtook the answer).
      console.log(
        `${EVENTS} events one at a time, card changed:\n  after the 202:     ${line(from202)}\n  after the request: ${line(fromSend)}`,
      );
      expect(from202).toHaveLength(EVENTS);
      expect(errors).toEqual([]);
    });
  });
}
