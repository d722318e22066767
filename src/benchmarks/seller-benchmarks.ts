/**
 * GET /v1/sellers/{id}/benchmarks: the seller's cohort, its released bands per metric with their
 * 90% intervals, and where the seller's own exact figure sits among them, for the release period
 * and for the trailing window of the same length ending now ("live"). Reads released rows (KV),
 * the seller's own placement and the seller's own ledger, nothing of any other seller: it imports
 * no rollup query.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, READERS } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { ledgerOf, params, reader } from "../http/seller-reader.ts";
import { validationHook } from "../http/validation.ts";
import { HOUR_MS } from "../metrics/counters.ts";
import { benchmarkConfig } from "./config.ts";
import { METRICS, type Metric } from "./privacy/bins.ts";
import { epsilonValue } from "./privacy/epsilon.ts";
import { percentile } from "./privacy/percentile.ts";
import type { Bands } from "./privacy/quantiles.ts";
import { type SellerValues, usable } from "./privacy/release.ts";
import { type LatestRun, latestRunKey, type ReleasedCohort, releaseKey } from "./released.ts";
import { placementOf } from "./seller-placement.ts";

const interval = z.array(z.number()).length(2).describe("[lo, hi]");
const band = z.object({
  p25: z.number(),
  p50: z.number(),
  p75: z.number(),
  value: z.number().nullable().describe("the seller's own exact figure over the release period; null when it has none"),
  percentile: z.number().nullable().describe("0–100: where value sits among the released bands"),
  interval90: z
    .object({ p25: interval, p50: interval, p75: interval })
    .describe(
      "a 90% interval [lo, hi] for each released quartile, from released numbers and public noise settings only",
    ),
  live: z
    .object({
      value: z
        .number()
        .nullable()
        .describe("the seller's own figure over the trailing window of the period's length ending now"),
      percentile: z.number().nullable().describe("0–100: where that figure sits among the same released bands"),
      as_of: z.string(),
    })
    .describe("moves with each of the seller's events between releases"),
});
const benchmarksSchema = z
  .object({
    seller_id: z.string(),
    released_at: z.string().nullable(),
    period: z.object({ from: z.string(), to: z.string() }).nullable().describe("whole UTC days, [from, to)"),
    cohort: z
      .object({
        level: z.string(),
        category: z.string().nullable(),
        region: z.string().nullable(),
        size_band: z.string().nullable(),
        sellers: z.int().describe("noised"),
      })
      .nullable(),
    epsilon: z
      .number()
      .describe("the privacy loss of this release for any one seller (with delta); from the settings, never the data"),
    delta: z.number().describe("0 for pure ε-DP"),
    budget: z
      .object({ cap: z.number(), period: z.literal("365d"), delta: z.number() })
      .describe("the promise for all releases together: at most ε cap (at delta) per seller over any rolling 365 days"),
    suppressed: z.object({ reason: z.string() }).nullable(),
    metrics: z.partialRecord(z.enum(METRICS), band).describe("the metrics released for the cohort"),
  })
  .openapi("Benchmarks");
type Benchmarks = z.infer<typeof benchmarksSchema>;

const hourOf = (day: string) => Date.parse(`${day}T00:00:00Z`) / HOUR_MS;
const placed = (metric: Metric, value: number | null, bands: Bands) =>
  value === null ? null : Math.round(percentile(metric, value, bands));

export const sellerBenchmarks = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

sellerBenchmarks.openapi(
  createRoute({
    method: "get",
    path: "/{id}/benchmarks",
    summary: "The seller's cohort benchmarks: noised percentile bands per metric, and where the seller sits",
    ...operation("getSellerBenchmarks", "Seller reads", READERS),
    middleware: reader,
    request: { params },
    responses: {
      200: jsonContent(benchmarksSchema, "The latest release for this seller", ex.BENCHMARKS),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { platform, ledger } = ledgerOf(c, id);
    const config = benchmarkConfig(c.env);
    const budget = { cap: config.capEpsilon, period: "365d" as const, delta: config.delta };
    const none = (reason: string, run: LatestRun | null, epsilon = 0, delta = 0) => {
      const body: Benchmarks = {
        seller_id: id,
        released_at: run?.released_at ?? null,
        period: run?.period ?? null,
        cohort: null,
        epsilon,
        delta,
        budget,
        suppressed: { reason },
        metrics: {},
      };
      return c.json(body, 200);
    };
    const run = await c.env.KV.get<LatestRun>(latestRunKey(platform.id), "json");
    if (!run) return none("no benchmarks have been released for this platform yet", null);
    const place = await placementOf(c.env.DB, platform.id, run.period.to, id);
    if (!place) return none("the seller had no orders in the period", run);
    // A seller the run did not read (left out for its budget) lost nothing to it.
    const [epsilon, delta] = place.rho_micro > 0 ? [epsilonValue(place.epsilon_micro), place.delta] : [0, 0];
    const release = place.release_id ? await c.env.KV.get<ReleasedCohort>(releaseKey(place.release_id), "json") : null;
    if (!release) return none(place.reason ?? "the release is not available", run, epsilon, delta);
    // Releases made before the intervals and the zCDP accounting carry neither: the next run replaces them.
    if (!Object.values(release.metrics).every((bands) => bands?.interval90)) {
      return none("the release predates the current privacy settings; the next run replaces it", run);
    }
    const nowHour = Math.floor(Date.now() / HOUR_MS) + 1; // the current hour counts: live moves with each event
    const windowHours = hourOf(release.period.to) - hourOf(release.period.from);
    const [values, live] = await Promise.all([
      ledger.benchmarkValues(hourOf(release.period.from), hourOf(release.period.to)),
      ledger.benchmarkValues(nowHour - windowHours, nowHour),
    ]);
    const asOf = new Date().toISOString();
    const own = (from: SellerValues, metric: Metric) => usable(from[metric]);
    const metrics = Object.fromEntries(
      (Object.entries(release.metrics) as [Metric, NonNullable<ReleasedCohort["metrics"][Metric]>][]).map(
        ([metric, { p25, p50, p75, interval90 }]) => {
          const bands = { p25, p50, p75 };
          const [value, now] = [own(values, metric), own(live, metric)];
          return [
            metric,
            {
              ...bands,
              value,
              percentile: placed(metric, value, bands),
              interval90,
              live: { value: now, percentile: placed(metric, now, bands), as_of: asOf },
            },
          ];
        },
      ),
    );
    const body: Benchmarks = {
      seller_id: id,
      released_at: release.released_at,
      period: release.period,
      cohort: release.cohort,
      epsilon: release.epsilon,
      delta: release.delta,
      budget,
      suppressed: null,
      metrics,
    };
    return c.json(body, 200);
  },
);
