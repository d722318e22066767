/**
 * Seller reads under a closed loop of 16 clients, against hello-world measured in turns with them
 * (six turns of a second each): hello-world alone moves by a third within one run here. They read
 * the busiest seller of the 20-seller scenario (posted first if that part did not run): its
 * summary, hourly and minute series and open orders; the forecast, a store with five weeks of
 * history (a seller with less has none to compute).
 */
import type { Bench, Measured } from "../bench.ts";
import { ingestScenario, scenarioHistory } from "../ingest.ts";
import { getOk, inTurns } from "../load.ts";
import { SCENARIOS } from "../scenarios.ts";

const CONCURRENCY = 16;
const TURN_MS = 1_000;
const ROUNDS = 6;
const BUSIEST = "b20-1";
const FORECAST = "five weeks, 1 seller";

export async function reads(bench: Bench): Promise<Measured> {
  if (!bench.posted.has("20 sellers")) {
    await ingestScenario(bench.app.url, bench.app.key, "20 sellers", scenarioHistory(SCENARIOS["20 sellers"]));
    bench.wrote();
  }
  const forecast = await ingestScenario(bench.app.url, bench.app.key, FORECAST, scenarioHistory(SCENARIOS[FORECAST]));
  bench.wrote();
  await bench.settle();
  const { app, hello } = bench;
  const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const seller = `${app.url}/v1/sellers/${BUSIEST}`;
  const rates = await inTurns(
    {
      hello: async () => void (await getOk(hello.url)),
      summary: async () => void (await getOk(`${seller}/summary`, app.key)),
      timeseries: async () =>
        void (await getOk(`${seller}/timeseries?metric=gmv&granularity=hour&from=${from}`, app.key)),
      minutes: async () => void (await getOk(`${seller}/timeseries?metric=gmv&granularity=minute`, app.key)),
      orders: async () => void (await getOk(`${seller}/orders?status=open`, app.key)),
      forecast: async () =>
        void (await getOk(`${app.url}/v1/sellers/${SCENARIOS[FORECAST].prefix}-1/forecast`, app.key)),
    },
    { concurrency: CONCURRENCY, sliceMs: TURN_MS, rounds: ROUNDS },
  );
  const perSecond = (name: keyof typeof rates) => `${name} ${rates[name].perSecond.toFixed(0)} req/s`;
  bench.log(
    `reads: ${(["summary", "timeseries", "minutes", "orders", "forecast"] as const).map(perSecond).join(", ")}; ` +
      `hello-world in turns with them ${rates.hello.perSecond.toFixed(0)} req/s`,
  );
  const ratio = (perSecond: number) => `${(perSecond / rates.hello.perSecond).toFixed(2)}×`;
  return {
    json: rates,
    rows: () => [
      [
        "seller summary reads",
        `${rates.summary.perSecond.toFixed(0)} req/s`,
        ratio(rates.summary.perSecond),
        `against hello-world measured in turns with the reads (${rates.hello.perSecond.toFixed(0)} req/s); goal ≥ 0.8×`,
      ],
      [
        "timeseries reads (hourly, 7 days)",
        `${rates.timeseries.perSecond.toFixed(0)} req/s`,
        ratio(rates.timeseries.perSecond),
        "likewise; goal ≥ 0.8×",
      ],
      [
        "minute series reads (the last 60 minutes)",
        `${rates.minutes.perSecond.toFixed(0)} req/s`,
        ratio(rates.minutes.perSecond),
        "likewise; goal ≥ 0.8×",
      ],
      [
        "orders reads (open, a page of 50)",
        `${rates.orders.perSecond.toFixed(0)} req/s`,
        ratio(rates.orders.perSecond),
        "likewise; goal ≥ 0.8×",
      ],
      [
        "forecast reads",
        `${rates.forecast.perSecond.toFixed(0)} req/s`,
        ratio(rates.forecast.perSecond),
        `likewise, a store with five weeks of history (${forecast.events} events); goal ≥ 0.8×`,
      ],
    ],
  };
}
