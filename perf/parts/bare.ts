/**
 * The bare pipeline (perf/bare): post, 400-event messages, one call per seller per batch and
 * SQLite dedupe, nothing else. The same scenarios and checks as the app: about the floor this
 * runtime allows for that shape, which the app's figures are set beside. It runs first, while
 * the app has nothing to flush.
 */
import { type Bench, type Measured, type Row, times, withWorker } from "../bench.ts";
import { bareScenario, type IngestResult } from "../ingest.ts";
import { SCENARIOS, type ScenarioName } from "../scenarios.ts";
import { measureScenario } from "./ingest.ts";

const PORT = 8804;
const BARE: ScenarioName[] = ["20 sellers", "1,000 sellers", "1,000 sellers, 50 orders each a day"];

export async function barePipeline(bench: Bench): Promise<Measured> {
  const results = await withWorker(bench, "bare", PORT, async (url) => {
    const results: IngestResult[] = [];
    for (const name of BARE) {
      const scenario = SCENARIOS[name];
      results.push(
        await measureScenario(bench, "bare pipeline", name, scenario.sellers, () => bareScenario(url, name, scenario)),
      );
    }
    return results;
  });
  return { json: results, rows: (baseline, b) => results.map((r) => bareRow(r, baseline, b.ingest.get(r.name))) };
}

function bareRow(r: IngestResult, baseline: number, app: IngestResult | undefined): Row {
  if (r.failed) return [`the bare pipeline, ${r.name}`, "failed", "", r.failed];
  const share =
    app && !app.failed
      ? `; the app reaches ${((100 * app.eventsPerSecond) / r.eventsPerSecond).toFixed(0)}% of it`
      : "";
  return [
    `the bare pipeline, ${r.name}`,
    `${r.eventsPerSecond.toFixed(0)} events/s`,
    times(r.eventsPerSecond, baseline),
    `the same scenario through post, 400-event messages, one call per seller per batch and SQLite dedupe only, ` +
      `checked by a count read per seller (${r.checkSeconds.toFixed(1)} s by themselves)${share}`,
  ];
}
