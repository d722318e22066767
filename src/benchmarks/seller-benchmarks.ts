/**
 * GET /v1/sellers/{id}/benchmarks: the seller's cohort, its released bands per metric, and where
 * the seller's own exact figure sits among them. Reads released rows (KV), the seller's own
 * placement and the seller's own ledger, nothing of any other seller: it imports no rollup query.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, READERS } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { ledgerOf, params, reader } from "../http/seller-reader.ts";
import { validationHook } from "../http/validation.ts";
import { HOUR_MS } from "../metrics/counters.ts";
import { METRICS, type Metric } from "./privacy/bins.ts";
import { epsilonValue } from "./privacy/epsilon.ts";
import { percentile } from "./privacy/percentile.ts";
import { type LatestRun, latestRunKey, type ReleasedCohort, releaseKey } from "./released.ts";
import { placementOf } from "./seller-placement.ts";

const band = z.object({
  p25: z.number(),
  p50: z.number(),
  p75: z.number(),
  value: z.number().nullable().describe("the seller's own exact figure; null when it has none (no ratings...)"),
  percentile: z.number().nullable().describe("0–100: where value sits among the released bands"),
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
    epsilon: z.number().describe("the privacy loss of this release for any one seller of the cohort"),
    suppressed: z.object({ reason: z.string() }).nullable(),
    metrics: z.partialRecord(z.enum(METRICS), band).describe("the metrics released for the cohort"),
  })
  .openapi("Benchmarks");
type Benchmarks = z.infer<typeof benchmarksSchema>;

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
    const none = (reason: string, run: LatestRun | null, epsilon = 0) => {
      const body: Benchmarks = {
        seller_id: id,
        released_at: run?.released_at ?? null,
        period: run?.period ?? null,
        cohort: null,
        epsilon,
        suppressed: { reason },
        metrics: {},
      };
      return c.json(body, 200);
    };
    const run = await c.env.KV.get<LatestRun>(latestRunKey(platform.id), "json");
    if (!run) return none("no benchmarks have been released for this platform yet", null);
    const place = await placementOf(c.env.DB, platform.id, run.period.to, id);
    if (!place) return none("the seller had no orders in the period", run);
    const release = place.release_id ? await c.env.KV.get<ReleasedCohort>(releaseKey(place.release_id), "json") : null;
    if (!release) return none(place.reason ?? "the release is not available", run, epsilonValue(place.epsilon_micro));
    const hour = (day: string) => Date.parse(`${day}T00:00:00Z`) / HOUR_MS;
    const values = await ledger.benchmarkValues(hour(run.period.from), hour(run.period.to));
    const metrics = Object.fromEntries(
      (Object.entries(release.metrics) as [Metric, NonNullable<ReleasedCohort["metrics"][Metric]>][]).map(
        ([metric, bands]) => {
          const value = values[metric] ?? null;
          return [
            metric,
            { ...bands, value, percentile: value === null ? null : Math.round(percentile(metric, value, bands)) },
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
      suppressed: null,
      metrics,
    };
    return c.json(body, 200);
  },
);
