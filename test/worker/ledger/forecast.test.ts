// Today's forecast: the pure method (src/ledger/forecast.ts) on histories made to measure, and
// GET /v1/sellers/{id}/forecast on a simulated seller's own ledger.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { history } from "../../../simulator/generate.ts";
import { type Figures, forecastOf } from "../../../src/ledger/forecast.ts";
import { DAY_MS, HOUR_MS } from "../../../src/metrics/counters.ts";
import { earlierToday, eventsAt, parse } from "../../support/builders.ts";
import { api, createPlatform } from "../helpers.ts";

const TODAY = Date.UTC(2026, 10, 20) / DAY_MS;

/** Every hour from `firstDay` that starts before `nowMs`, each given by `at(day, hour)`. */
function hoursUntil(firstDay: number, nowMs: number, at: (day: number, hour: number) => Figures): Map<number, Figures> {
  const hours = new Map<number, Figures>();
  for (let hour = firstDay * 24; hour * HOUR_MS < nowMs; hour++) hours.set(hour, at(Math.floor(hour / 24), hour % 24));
  return hours;
}

describe("the forecast method", () => {
  it("has no forecast under 14 days of history, and says why", () => {
    const nowMs = TODAY * DAY_MS + 9.5 * HOUR_MS;
    const hours = hoursUntil(TODAY - 13, nowMs, () => ({ gmv: 100, orders: 1 }));
    const forecast = forecastOf({ nowMs, hours, firstOrderHour: (TODAY - 13) * 24 });
    expect(forecast).toMatchObject({
      day: "2026-11-20",
      as_of: "2026-11-20T09:30:00.000Z",
      so_far: { gmv: 1000, orders: 10 },
      expected: null,
      low: null,
      high: null,
      reason: "Only 13 days of history: a forecast needs 14",
      backtest: { days: 0, coverage: null, coverage_orders: null },
    });
    const none = forecastOf({ nowMs: TODAY * DAY_MS, hours: new Map(), firstOrderHour: null });
    expect(none.reason).toBe("No orders yet: a forecast needs 14 days of history");
  });

  it("forecasts a seller whose days are all alike exactly, with an interval of one figure that always held", () => {
    const evening = (h: number) => ({ gmv: h >= 18 ? 5000 : 1000, orders: h >= 18 ? 5 : 1 });
    const nowMs = TODAY * DAY_MS + 12 * HOUR_MS;
    const hours = hoursUntil(TODAY - 60, nowMs, (_, h) => evening(h));
    const forecast = forecastOf({ nowMs, hours, firstOrderHour: (TODAY - 60) * 24 });
    const day = { gmv: 18 * 1000 + 6 * 5000, orders: 18 + 30 };
    expect(forecast.so_far).toEqual({ gmv: 12_000, orders: 12 });
    expect(forecast.expected).toEqual(day);
    expect(forecast.low).toEqual(day);
    expect(forecast.high).toEqual(day);
    expect(forecast.backtest).toEqual({ days: 28, coverage: 1, coverage_orders: 1 });
  });

  it("follows the weekday: a seller who sells twice as much on Saturdays", () => {
    const isSaturday = (day: number) => new Date(day * DAY_MS).getUTCDay() === 6;
    const perHour = (day: number) => ({ gmv: isSaturday(day) ? 200 : 100, orders: isSaturday(day) ? 2 : 1 });
    const atMidnight = (day: number) =>
      forecastOf({
        nowMs: day * DAY_MS,
        hours: hoursUntil(day - 60, day * DAY_MS, perHour),
        firstOrderHour: (day - 60) * 24,
      }).expected!;
    let saturday = TODAY;
    while (!isSaturday(saturday)) saturday++;
    // The weekday's own level, shrunk towards the mean day: 4,114 against Friday's 2,514.
    expect(atMidnight(saturday).gmv).toBe(4114);
    expect(atMidnight(saturday - 1).gmv).toBe(2514);
  });

  it("always has low ≤ expected ≤ high, so far ≤ expected, and a coverage between 0 and 1", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 5 }), { minLength: 24 * 70, maxLength: 24 * 70 }),
        fc.integer({ min: 14, max: 69 }),
        fc.integer({ min: 0, max: 23 * 60 + 59 }),
        (counts, historyDays, minute) => {
          const nowMs = TODAY * DAY_MS + minute * 60_000;
          const hours = hoursUntil(TODAY - 69, nowMs, (day, h) => {
            const n = counts[(day - TODAY + 69) * 24 + h]!;
            return { gmv: n * 1234, orders: n };
          });
          const forecast = forecastOf({ nowMs, hours, firstOrderHour: (TODAY - historyDays) * 24 });
          for (const metric of ["gmv", "orders"] as const) {
            expect(forecast.low![metric]).toBeLessThanOrEqual(forecast.expected![metric]);
            expect(forecast.expected![metric]).toBeLessThanOrEqual(forecast.high![metric]);
            expect(forecast.so_far[metric]).toBeLessThanOrEqual(forecast.expected![metric]);
          }
          expect(forecast.backtest.days).toBeLessThanOrEqual(28);
          for (const c of [forecast.backtest.coverage, forecast.backtest.coverage_orders])
            if (c !== null) expect(c >= 0 && c <= 1).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("GET /v1/sellers/{id}/forecast", () => {
  it("forecasts a simulated seller with five weeks of history from its own ledger", async () => {
    const key = await createPlatform("fcast");
    const events = history({
      seed: 7,
      sellers: 1,
      days: 35,
      ordersPerDay: 60,
      prefix: "fc",
      endMs: Date.now() - 60_000,
    });
    await env.LEDGER.getByName("fcast:fc-1").apply("fcast", "fc-1", "USD", events.map(parse));
    const res = await api("/v1/sellers/fc-1/forecast", { token: key });
    expect(res.status).toBe(200);
    const forecast = (await res.json()) as ReturnType<typeof forecastOf>;
    expect(forecast.day).toBe(new Date().toISOString().slice(0, 10));
    expect(forecast.expected!.orders).toBeGreaterThanOrEqual(forecast.so_far.orders);
    expect(forecast.low!.gmv).toBeLessThanOrEqual(forecast.expected!.gmv);
    expect(forecast.high!.gmv).toBeGreaterThanOrEqual(forecast.expected!.gmv);
    // Five weeks: the last three complete weeks are judged (each needs two weeks before it).
    expect(forecast.backtest.days).toBeGreaterThanOrEqual(19);
    expect(forecast.backtest.coverage).not.toBeNull();
  });

  it("says a seller with a week of history has none yet", async () => {
    const key = await createPlatform("fcast2");
    const events = history({
      seed: 8,
      sellers: 1,
      days: 7,
      ordersPerDay: 30,
      prefix: "fw",
      endMs: Date.now() - 60_000,
    });
    await env.LEDGER.getByName("fcast2:fw-1").apply("fcast2", "fw-1", "USD", events.map(parse));
    const forecast = (await (await api("/v1/sellers/fw-1/forecast", { token: key })).json()) as {
      expected: null;
      reason: string;
    };
    expect(forecast.expected).toBeNull();
    expect(forecast.reason).toMatch(/^Only [67] days of history: a forecast needs 14$/);
  });
});

describe("the forecast a ledger keeps between reads", () => {
  it("is the answer of a ledger that never kept one, at any instant of the hour and after any write", async () => {
    const nowMs = Date.now();
    const events = history({ seed: 9, sellers: 1, days: 35, ordersPerDay: 40, prefix: "fk", endMs: nowMs - 60_000 });
    const [kept, fresh] = ["fkeep:fk-1", "fkeep-fresh:fk-1"].map((name) => env.LEDGER.getByName(name));
    await kept!.apply("fkeep", "fk-1", "USD", events.map(parse));
    // Two instants of the current hour, whatever the clock's minute (a forecast is a function of its instant).
    const hourStart = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    const [early, late] = [hourStart + 5 * 60_000, hourStart + 55 * 60_000];
    const first = await kept!.forecast(early);
    expect(await kept!.forecast(early)).toEqual(first);
    // A new order today, and a large one three days ago (which moves the profile and the backtest).
    const { placed } = eventsAt(earlierToday(nowMs, 5));
    const today = placed("fk-1", "fk-new-today", 0);
    const past = eventsAt(nowMs - 3 * DAY_MS).placed("fk-1", "fk-new-past", 0, {
      items: [{ product_id: "p-big", category: "shoes", quantity: 40, unit_price: 250_000 }],
    });
    await kept!.apply("fkeep", "fk-1", "USD", [parse(today)]);
    const afterToday = await kept!.forecast(early);
    expect(afterToday.so_far.orders).toBe(first.so_far.orders + 1);
    await kept!.apply("fkeep", "fk-1", "USD", [parse(past)]);
    const afterPast = await kept!.forecast(late);
    expect(afterPast.expected!.gmv).not.toBe(afterToday.expected!.gmv);
    await fresh!.apply("fkeep", "fk-1", "USD", [...events, today, past].map(parse));
    expect(afterPast).toEqual(await fresh!.forecast(late));
    expect(await kept!.forecast(early)).toEqual(await fresh!.forecast(early));
  });
});
