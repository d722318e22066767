/**
 * GET /v1/ops/benchmarks: the platform's benchmark releases (noised figures, as sellers see
 * them), its runs with what the operator should know (sellers left out, refusals), and the
 * privacy budget: the cap per seller per calendar year and the most any seller has spent.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { benchmarkConfig } from "./config.ts";
import { epsilonValue } from "./privacy/epsilon.ts";

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
        epsilon: z.number(),
        mechanism: z.string(),
      }),
    ),
    budget: z.object({
      cap: z.number().describe("ε per seller per budget period"),
      spent: z.number().describe("the most any seller has spent in it"),
      period: z.string().describe("the budget period: a UTC calendar year"),
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
    const year = new Date().toISOString().slice(0, 4);
    const [releases, runs, spent] = await c.env.DB.batch<Record<string, string | number | null>>([
      c.env.DB.prepare(
        `SELECT released_at, period_from, period_to, level, category, region, size_band, sellers, epsilon_micro, mechanism
         FROM benchmark_releases WHERE platform_id = ? ORDER BY period_to DESC, level, category, region, size_band LIMIT ?`,
      ).bind(platform.id, RELEASES_SHOWN),
      c.env.DB.prepare(
        `SELECT released_at, period_from, period_to, sellers, excluded, releases, suppressed, note
         FROM benchmark_runs WHERE platform_id = ? ORDER BY period_to DESC LIMIT ?`,
      ).bind(platform.id, RUNS_SHOWN),
      c.env.DB.prepare(
        "SELECT COALESCE(MAX(epsilon_micro), 0) AS spent FROM privacy_spend WHERE platform_id = ? AND budget_period = ?",
      ).bind(platform.id, year),
    ]);
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
          mechanism: str(r.mechanism),
        })),
        budget: {
          cap: epsilonValue(benchmarkConfig(c.env).cap),
          spent: epsilonValue(num(spent!.results[0]?.spent ?? 0)),
          period: year,
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
