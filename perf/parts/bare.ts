/**
 * The bare pipeline (perf/bare): post, 400-event messages, one call per seller per batch and
 * SQLite dedupe, nothing else. The same scenarios, posting rules and checks as the app: about
 * the floor this runtime allows for that shape, which the app's figures (events/s and CPU per
 * event) are set beside. It runs first, while the app has nothing to flush.
 */
import { type Bench, type Measured, type Row, times, withWorker } from "../bench.ts";
import type { IngestResult } from "../ingest.ts";
import { scenarioHistory } from "../ingest.ts";
import { SCENARIOS, type ScenarioName } from "../scenarios.ts";
import { bareTarget, streamScenario } from "../streamed.ts";
import { cpuText, measureScenario, postedText } from "./ingest.ts";

const PORT = 8804;
const BARE: ScenarioName[] = ["20 sellers", "1,000 sellers", "1,000 sellers, 50 orders each a day"];

export async function barePipeline(bench: Bench): Promise<Measured> {
  const results = await withWorker(bench, "bare", PORT, async (url, group) => {
    const results: IngestResult[] = [];
    for (const name of BARE) {
      const scenario = SCENARIOS[name];
      const result = await measureScenario(bench, "bare pipeline", name, scenario.sellers, async () => {
        const { totals: _, ...r } = await streamScenario(bareTarget(url, group), name, scenarioHistory(scenario));
        return r;
      });
      bench.bare.set(name, result);
      results.push(result);
    }
    return results;
  });
  return { json: results, rows: (baseline) => results.map((r) => bareRow(r, baseline)) };
}

function bareRow(r: IngestResult, baseline: number): Row {
  if (r.failed) return [`the bare pipeline, ${r.name}`, "failed", "", r.failed];
  return [
    `the bare pipeline, ${r.name}`,
    `${r.eventsPerSecond.toFixed(0)} events/s, ${cpuText(r)}`,
    times(r.eventsPerSecond, baseline),
    `the same scenario through post, 400-event messages, one call per seller per batch and SQLite dedupe only, ` +
      `each seller checked by a count read: ${postedText(r)}`,
  ];
}
