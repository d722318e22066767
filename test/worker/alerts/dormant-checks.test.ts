// A ledger's time-driven checks follow what it holds after every write: a ledger whose first
// figures were old history (its checks were not due) runs its midnight threshold check and health
// refresh, and its anomaly check, once today's orders arrive.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../../src/alerts/thresholds.ts";
import { runDue } from "../../../src/ledger/alert-checks.ts";
import { DAY_MS } from "../../../src/metrics/counters.ts";
import { earlierToday, eventsAt, parse } from "../../support/builders.ts";
import { createPlatform } from "../helpers.ts";

beforeAll(async () => {
  await createPlatform("acme");
});

/** `count` orders with a 1-hour SLA, shipped `minutes` after placement (from the builders' anchor). */
function shippedOrders(anchorMs: number, seller: string, prefix: string, count: number, minutes: number) {
  const { placed, step } = eventsAt(anchorMs);
  return Array.from({ length: count }, (_, i) => [
    placed(seller, `${prefix}-${i}`, 0, { ship_within_hours: 1 }),
    step("order.shipped", seller, `${prefix}-${i}`, minutes),
  ])
    .flat()
    .map(parse);
}

const checksDue = (sql: SqlStorage) =>
  JSON.parse(sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'checks_due'").one().value) as {
    thresholds: number | null;
    anomalies: number | null;
  };

it("a ledger made from 90-day-old history runs its threshold check and health refresh once today's orders arrive", async () => {
  const seller = "backfilled";
  const ledger = env.LEDGER.getByName(`acme:${seller}`);
  const now = Date.now();
  await ledger.apply("acme", seller, "USD", shippedOrders(now - 90 * DAY_MS, seller, "old", 30, 30));
  // Nothing in the last 30 days: no check is due yet.
  await runInDurableObject(ledger, (_, state) =>
    expect(checksDue(state.storage.sql)).toEqual({ thresholds: null, anomalies: null }),
  );
  // Today: 18 of 20 shipped on time (90%), under the 95% SLA compliance threshold.
  const today = earlierToday(now, 180);
  await ledger.apply("acme", seller, "USD", [
    ...shippedOrders(today, seller, "on-time", 18, 30),
    ...shippedOrders(today, seller, "late", 2, 120),
  ]);
  expect((await ledger.alerts("open", 10)).map((a) => a.type)).toEqual(["threshold.sla_compliance"]);
  const nextMidnight = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  await runInDurableObject(ledger, async (_, state) => {
    const due = checksDue(state.storage.sql);
    expect(due.thresholds).toBeGreaterThan(nextMidnight);
    expect(due.thresholds).toBeLessThan(nextMidnight + 5 * 60_000);
    // The alarm rings for it.
    expect(await state.storage.getAlarm()).toBeLessThanOrEqual(due.thresholds!);
    // Eight days on, today's orders have left the 7-day period: the midnight check resolves the
    // alert, and the periods moved, so the seller's health is flushed.
    const later = nextMidnight + 7 * DAY_MS + 2 * 60_000;
    const owner = { platform: "acme", sellerId: seller };
    const ran = runDue(state.storage.sql, owner, 1_000, DEFAULT_THRESHOLDS, later, new Date(later).toISOString());
    expect(ran).toEqual({ changed: true, periodsMoved: true });
  });
  expect((await ledger.alerts("all", 10)).map((a) => [a.type, a.status])).toEqual([
    ["threshold.sla_compliance", "resolved"],
  ]);
});

it("a dormant seller busy again is judged for anomalies from the next hour", async () => {
  const seller = "woken";
  const ledger = env.LEDGER.getByName(`acme:${seller}`);
  const now = Date.now();
  await ledger.apply("acme", seller, "USD", shippedOrders(now - 60 * DAY_MS, seller, "old", 40, 30));
  await ledger.apply("acme", seller, "USD", shippedOrders(earlierToday(now, 180), seller, "new", 40, 30));
  await runInDurableObject(ledger, (_, state) => {
    const due = checksDue(state.storage.sql);
    expect(due.anomalies).not.toBeNull();
    expect(due.anomalies!).toBeLessThanOrEqual(now + 2 * 3_600_000);
  });
});
