/**
 * What a month costs in storage: a simulated month for 10 sellers, then the size of each
 * ledger's SQLite file and the rows D1 holds for them once every ledger has flushed.
 */
import type { Bench, Measured } from "../bench.ts";
import { ingestScenario, scenarioHistory } from "../ingest.ts";
import { SCENARIOS } from "../scenarios.ts";
import { d1Rows, ledgerFiles } from "../storage.ts";

export async function storage(bench: Bench): Promise<Measured> {
  bench.log("a simulated month for 10 sellers…");
  const name = "a month, 10 sellers";
  const month = await ingestScenario(bench.app.url, bench.app.key, name, scenarioHistory(SCENARIOS[name]));
  bench.wrote();
  await bench.settle(); // the last alarms flush their sellers
  const ledgers = ledgerFiles(bench.persistTo).filter((f) => f.sellerId.startsWith(`${SCENARIOS[name].prefix}-`));
  const d1RowsHeld = d1Rows(bench.persistTo, `${SCENARIOS[name].prefix}-`);
  const result = {
    sellers: ledgers.length,
    events: month.events,
    bytesPerSellerAvg: ledgers.reduce((a, f) => a + f.bytes, 0) / ledgers.length,
    bytesPerSellerMax: Math.max(...ledgers.map((f) => f.bytes)),
    d1RowsHeld,
    d1RowsPerEvent: d1RowsHeld / month.events,
  };
  const kib = (bytes: number) => (bytes / 1024).toFixed(0);
  bench.log(
    `storage: ${kib(result.bytesPerSellerAvg)} KiB per seller after a month; D1 rows per event ${result.d1RowsPerEvent.toFixed(3)}`,
  );
  return {
    json: result,
    rows: () => [
      [
        "ledger storage after a month",
        `${kib(result.bytesPerSellerAvg)} KiB per seller`,
        "",
        `max ${kib(result.bytesPerSellerMax)} KiB; ${result.sellers} sellers, ${result.events} events`,
      ],
      [
        "D1 rows per event",
        result.d1RowsPerEvent.toFixed(3),
        "",
        `${result.d1RowsHeld} rows of hourly projections for ${result.events} events of a month: one per seller-hour and product-hour`,
      ],
    ],
  };
}
