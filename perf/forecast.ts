/**
 * `npm run bench:forecast`: how good today's forecast (src/ledger/forecast.ts) is on the
 * simulator's sellers. The demo's 120 stores (seed 1, sizes Pareto-distributed), 112 days of
 * history; each of the last 28 days is forecast at 12:00 and 18:00 UTC from what was known then
 * (the day's orders as of that moment, the days before as known at the end), and set against its
 * final totals. Printed: how often the 80% interval held them, and the median absolute percentage
 * error of the forecast and of the naive baseline (the same weekday last week, scaled by today so
 * far against that day at the same hour). Measures only; the seed is fixed, so the figures repeat.
 */
import { history } from "../simulator/generate.ts";
import { eventSchema, isOrderEvent, type SellerEvent } from "../src/events/schema.ts";
import { foldEvents } from "../src/ledger/fold.ts";
import { type Figures, forecastOf, HISTORY_READ_DAYS } from "../src/ledger/forecast.ts";
import { DAY_MS, HOUR_MS, type HourlyCounters } from "../src/metrics/counters.ts";

const SEED = Number(process.env.SEED ?? 1);
const SELLERS = Number(process.env.SELLERS ?? 120);
const JUDGED_DAYS = 28;
const DAYS = JUDGED_DAYS + HISTORY_READ_DAYS;
const HOURS_OF_DAY = [12, 18];
const endMs = Date.UTC(2026, 10, 30);
const endDay = endMs / DAY_MS;

type Tally = { inside: number; judged: number; errors: number[]; naive: number[] };
const tally = new Map<string, Tally>();
const tallyOf = (key: string) => {
  const t = tally.get(key) ?? { inside: 0, judged: 0, errors: [], naive: [] };
  tally.set(key, t);
  return t;
};

const figuresOf = (hourly: HourlyCounters) =>
  new Map([...hourly].map(([hour, c]): [number, Figures] => [hour, { gmv: c.gmv, orders: c.orders }]));
const sumHours = (hours: Map<number, Figures>, from: number, to: number, metric: keyof Figures) => {
  let sum = 0;
  for (let hour = from; hour < to; hour++) sum += hours.get(hour)?.[metric] ?? 0;
  return sum;
};

const started = Date.now();
const bySeller = new Map<string, SellerEvent[]>();
for (const input of history({ seed: SEED, sellers: SELLERS, days: DAYS, endMs })) {
  const event = eventSchema.parse(input);
  const events = bySeller.get(event.seller_id);
  if (events) events.push(event);
  else bySeller.set(event.seller_id, [event]);
}

for (const events of bySeller.values()) {
  const final = figuresOf(foldEvents(events).hourly);
  const firstOrderHour = Math.min(...[...final].filter(([, f]) => f.orders > 0).map(([hour]) => hour));
  // Each day's orders (by placement), with every event of theirs: what the day looked like at any moment.
  const placedOn = new Map<string, number>();
  for (const e of events)
    if (e.type === "order.placed") placedOn.set(e.order_id, Math.floor(Date.parse(e.occurred_at) / DAY_MS));
  const ofDay = new Map<number, SellerEvent[]>();
  for (const e of events) {
    if (!isOrderEvent(e)) continue;
    const day = placedOn.get(e.order_id);
    if (day === undefined) continue;
    const list = ofDay.get(day) ?? [];
    list.push(e);
    ofDay.set(day, list);
  }
  for (let day = endDay - JUDGED_DAYS; day < endDay; day++) {
    for (const hourOfDay of HOURS_OF_DAY) {
      const nowMs = day * DAY_MS + hourOfDay * HOUR_MS;
      const known = (ofDay.get(day) ?? []).filter((e) => Date.parse(e.occurred_at) < nowMs);
      const hours = new Map([...final].filter(([hour]) => hour < day * 24));
      for (const [hour, figures] of figuresOf(foldEvents(known).hourly)) hours.set(hour, figures);
      const forecast = forecastOf({ nowMs, hours, firstOrderHour });
      if (forecast.expected === null) continue;
      for (const metric of ["gmv", "orders"] as const) {
        const actual = sumHours(final, day * 24, day * 24 + 24, metric);
        const t = tallyOf(`${metric} ${String(hourOfDay).padStart(2, "0")}:00`);
        t.judged++;
        if (actual >= forecast.low![metric] && actual <= forecast.high![metric]) t.inside++;
        if (actual === 0) continue;
        t.errors.push(Math.abs(forecast.expected[metric] - actual) / actual);
        // The naive baseline: last week's same day, scaled by today so far against it at the same hour.
        const lastWeek = (day - 7) * 24;
        const lastFinal = sumHours(final, lastWeek, lastWeek + 24, metric);
        const lastSoFar = sumHours(final, lastWeek, lastWeek + hourOfDay, metric);
        const soFar = forecast.so_far[metric];
        const naive = lastSoFar > 0 ? (lastFinal * soFar) / lastSoFar : soFar + lastFinal;
        t.naive.push(Math.abs(naive - actual) / actual);
      }
    }
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(
  `Forecast accuracy: seed ${SEED}, ${bySeller.size} sellers, the last ${JUDGED_DAYS} of ${DAYS} days (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
);
console.log("| metric, at | forecasts | inside the 80% interval | MdAPE forecast | MdAPE naive |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [key, t] of [...tally].sort()) {
  console.log(
    `| ${key} | ${t.judged} | ${pct(t.inside / t.judged)} | ${pct(median(t.errors))} | ${pct(median(t.naive))} |`,
  );
}
