/**
 * `npm run simulate:file -- day.ndjson [--days 1] [--sellers 50] [--seed 1]`: writes the
 * simulator's last `days` of events for a platform as a file to try `npm run import` with; the
 * format follows the extension (.ndjson or .csv).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { toCsv, toNdjson } from "./files.ts";
import { history } from "./generate.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    days: { type: "string", default: "1" },
    sellers: { type: "string", default: "50" },
    seed: { type: "string", default: "1" },
  },
});
const file = positionals[0];
if (!file || !/\.(ndjson|csv)$/.test(file)) {
  console.error("usage: npm run simulate:file -- <file.ndjson|file.csv> [--days 1] [--sellers 50] [--seed 1]");
  process.exit(2);
}
const events = history({
  seed: Number(values.seed),
  sellers: Number(values.sellers),
  days: Number(values.days),
  endMs: Date.now() - 60_000,
});
writeFileSync(file, file.endsWith(".csv") ? toCsv(events) : toNdjson(events));
console.log(`${events.length} events written to ${file}`);
