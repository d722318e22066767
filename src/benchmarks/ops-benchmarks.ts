/**
 * GET /v1/ops/benchmarks: the platform's benchmark releases (noised figures, as sellers see
 * them), its runs with what the operator should know (sellers left out), and the privacy budget:
 * the cap per seller over any rolling 365 days and the most any seller spent in the last 365.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { benchmarkConfig } from "./config.ts";
import { epsilonValue } from "./privacy/epsilon.ts";
import { windowStart } from "./privacy/rolling-budget.ts";
import { epsilonOf, rhoValue } from "./privacy/zcdp.ts";

const RELEASES_SHOWN = 200;
const RUNS_SHOWN = 20;

const period = z.object({ from: z.string(), to: z.string() });
const opsBenchmarksSchema = z
  .object({
    releases: z.array(
      z.object({
        released_at: z.string(),
        period,
        cohort: z.object({
          level: z.string(),
          category: z.string().nullable(),
          region: z.string().nullable(),
          size_band: z.string().nullable(),
        }),
        sellers: z.int().describe("noised"),
        epsilon: z.number().describe("the run's privacy loss for any one seller, with delta: settings only"),
        delta: z.number(),
        mechanism: z.string(),
      }),
    ),
    budget: z.object({
      cap: z.number().describe("ε per seller over any rolling 365 days (at delta)"),
      spent: z.number().describe("the most any seller spent in the last 365 days, as ε at delta"),
      period: z.literal("365d").describe("rolling: the 365 days ending today (UTC)"),
      delta: z.number(),
      rho: z
        .object({ cap: z.number(), spent: z.number() })
        .describe("the same in zero-concentrated DP, where the accounting is done: ρ adds up across runs"),
    }),
    runs: z.array(
      z.object({
        released_at: z.string(),
        period,
        sellers: z.int(),
        excluded: z.int(),
        releases: z.int(),
        suppressed: z.int(),
        note: z.string().nullable(),
      }),
    ),
  })
  .openapi("OpsBenchmarks");

export const opsBenchmarks = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

opsBenchmarks.openapi(
  createRoute({
    method: "get",
    path: "/benchmarks",
    summary: "The platform's benchmark releases, runs and privacy budget (operator)",
    ...operation("getOpsBenchmarks", "Operator", OPERATOR),
    middleware: [authenticate, operatorAccess],
    responses: { 200: jsonContent(opsBenchmarksSchema, "Newest first", ex.OPS_BENCHMARKS), ...errorResponses },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const config = benchmarkConfig(c.env);
    const today = new Date().toISOString().slice(0, 10);
    const [releases, runs, spent] = await c.env.DB.batch<Record<string, string | number | null>>([
      c.env.DB.prepare(
        `SELECT released_at, period_from, period_to, level, category, region, size_band, sellers, epsilon_micro, delta,
           mechanism
         FROM benchmark_releases WHERE platform_id = ? ORDER BY period_to DESC, level, category, region, size_band LIMIT ?`,
      ).bind(platform.id, RELEASES_SHOWN),
      c.env.DB.prepare(
        `SELECT released_at, period_from, period_to, sellers, excluded, releases, suppressed, note
         FROM benchmark_runs WHERE platform_id = ? ORDER BY period_to DESC LIMIT ?`,
      ).bind(platform.id, RUNS_SHOWN),
      // The ledger is the placements of the last 365 days: each seller's charges, summed.
      c.env.DB.prepare(
        `SELECT COALESCE(MAX(spent), 0) AS spent FROM (SELECT SUM(rho_micro) AS spent FROM benchmark_placements
         WHERE platform_id = ? AND period_to >= ? AND period_to <= ? GROUP BY seller_id)`,
      ).bind(platform.id, windowStart(today), today),
    ]);
    const spentRho = Number(spent!.results[0]?.spent ?? 0);
    const str = (v: unknown) => v as string;
    const num = (v: unknown) => v as number;
    return c.json(
      {
        releases: releases!.results.map((r) => ({
          released_at: str(r.released_at),
          period: { from: str(r.period_from), to: str(r.period_to) },
          cohort: {
            level: str(r.level),
            category: r.category as string | null,
            region: r.region as string | null,
            size_band: r.size_band as string | null,
          },
          sellers: num(r.sellers),
          epsilon: epsilonValue(num(r.epsilon_micro)),
          delta: num(r.delta),
          mechanism: str(r.mechanism),
        })),
        budget: {
          cap: config.capEpsilon,
          spent: epsilonOf(rhoValue(spentRho), config.delta),
          period: "365d" as const,
          delta: config.delta,
          rho: { cap: rhoValue(config.capRho), spent: rhoValue(spentRho) },
        },
        runs: runs!.results.map((r) => ({
          released_at: str(r.released_at),
          period: { from: str(r.period_from), to: str(r.period_to) },
          sellers: num(r.sellers),
          excluded: num(r.excluded),
          releases: num(r.releases),
          suppressed: num(r.suppressed),
          note: r.note as string | null,
        })),
      },
      200,
    );
  },
);
