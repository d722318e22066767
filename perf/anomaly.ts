/**
 * `npm run bench:anomaly`: the anomaly rule's false alarms and detections on the simulator's data.
 * Nine weeks of SELLERS simulated stores (sizes Pareto-distributed, as in the demo); every hour of
 * the last four weeks is judged against the same hour of up to eight earlier weeks, as the ledger
 * does. A "false alarm" is any anomaly on this normal data. Then, at each store's busiest judged
 * hour, a spike (three times the orders and GMV) and an outage (no order) are injected: the share
 * detected. Measures only; seeds are fixed, so the figures repeat.
 */

import { history } from "../simulator/generate.ts";
import { ANOMALY_WEEKS, anomaliesOf, type HourFigures } from "../src/alerts/anomaly.ts";
import { eventSchema, type SellerEvent } from "../src/events/schema.ts";
import { foldEvents } from "../src/ledger/fold.ts";
import { HOUR_MS } from "../src/metrics/counters.ts";

const SELLERS = Number(process.env.SELLERS ?? 40);
const ORDERS_PER_DAY = Number(process.env.ORDERS_PER_DAY ?? 12_000); // split among the stores
const DAYS = 63;
const SEEDS = (process.env.SEEDS ?? "1,2,3").split(",").map(Number);
const endMs = Date.UTC(2026, 10, 30);
const endHour = endMs / HOUR_MS;
const firstHour = endHour - DAYS * 24;
const judgedHours = Array.from({ length: 28 * 24 }, (_, i) => endHour - 28 * 24 + i);

let judged = 0;
let stores = 0;
let storesJudged = 0;
const falseAlarms: { seed: number; seller: string; hour: string; metric: string; score: number }[] = [];
let spikes = 0;
let outages = 0;
for (const seed of SEEDS) {
  const bySeller = new Map<string, SellerEvent[]>();
  for (const input of history({ seed, sellers: SELLERS, days: DAYS, ordersPerDay: ORDERS_PER_DAY, endMs })) {
    const event = eventSchema.parse(input);
    const events = bySeller.get(event.seller_id);
    if (events) events.push(event);
    else bySeller.set(event.seller_id, [event]);
  }
  for (const [seller, sellerEvents] of bySeller) {
    stores++;
    const { hourly } = foldEvents(sellerEvents);
    const figures = (hour: number): HourFigures => ({
      orders: hourly.get(hour)?.orders ?? 0,
      gmv: hourly.get(hour)?.gmv ?? 0,
    });
    // As the ledger: only weeks since the first figures (here: the history's start) make the baseline.
    const pastOf = (hour: number) =>
      Array.from({ length: ANOMALY_WEEKS }, (_, k) => hour - 168 * (k + 1))
        .filter((h) => h >= firstHour)
        .map(figures);
    let busiest: number | null = null;
    for (const hour of judgedHours) {
      const verdicts = anomaliesOf(figures(hour), pastOf(hour));
      if (verdicts === null) continue;
      judged++;
      if (busiest === null || figures(hour).orders > figures(busiest).orders) busiest = hour;
      for (const v of verdicts) {
        const at = new Date(hour * HOUR_MS).toISOString();
        falseAlarms.push({ seed, seller, hour: at, metric: v.metric, score: Math.round(v.score * 10) / 10 });
      }
    }
    if (busiest === null) continue;
    storesJudged++;
    const normal = figures(busiest);
    const spike = anomaliesOf({ orders: normal.orders * 3, gmv: normal.gmv * 3 }, pastOf(busiest));
    if (spike?.some((v) => v.metric === "orders")) spikes++;
    if (anomaliesOf({ orders: 0, gmv: 0 }, pastOf(busiest))?.some((v) => v.metric === "orders")) outages++;
  }
}

console.log(
  JSON.stringify(
    {
      stores,
      stores_judged: storesJudged,
      hours_judged: judged,
      false_alarms: falseAlarms.length,
      false_alarm_rate: Number((falseAlarms.length / judged).toFixed(5)),
      spikes_detected: `${spikes}/${storesJudged}`,
      outages_detected: `${outages}/${storesJudged}`,
      alarms: falseAlarms,
    },
    null,
    2,
  ),
);
