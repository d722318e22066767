/**
 * GET /v1/ops/overview: the platform as a whole over today, 7 or 30 days, against the period
 * before, with a trend of GMV and orders: sums of the hourly rollups the ledgers flush to D1 (so
 * it may lag them by the flush delay), never any one ledger. The platform's own rows only, chosen
 * by its exact id. Operators poll it: each isolate keeps an answer FRESH_MS and serves it while a
 * newer one is read behind it (up to STALE_MS old, one such read at a time), so a polling console
 * costs no query and never waits on one once warm.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import {
  figuresOf,
  OVERVIEW_PERIODS,
  type OverviewPeriod,
  type SpanSums,
  spansOf,
  trendOf,
} from "./overview-figures.ts";

/** How long an answer is served as it is: the console polls every 30 s, the ledgers flush 30–60 s late. */
const FRESH_MS = 30_000;
/** How old an answer may be served while a newer one is read; older, a read waits for the new one. */
const STALE_MS = 90_000;
/** Answers kept per isolate at most (three periods per platform); the oldest go first. */
const MAX_CACHED = 3_000;

const rate = z.number().nullable().describe("a fraction from 0 to 1; null when its divisor is 0");
const figures = {
  from: z.string().describe("the first hour counted (UTC)"),
  to: z.string().describe("the hour after the last counted"),
  sellers_active: z.int().describe("sellers with at least one order placed in the period"),
  gmv: z.int().describe("minor units"),
  orders: z.int(),
  acceptance_rate: rate,
  cancellation_rate: rate,
  sla_compliance: rate,
  avg_rating: z.number().nullable(),
  conversion_rate: z.number().nullable().describe("orders ÷ visits, not capped at 1"),
};
const overviewSchema = z
  .object({
    currency: z.string(),
    period: z.enum(OVERVIEW_PERIODS),
    as_of: z.string().describe("when these sums were read from the rollups"),
    ...figures,
    previous: z
      .object(figures)
      .describe("today: the same hours of yesterday; 7d and 30d: the 7 and 30 days before them"),
    trend: z
      .array(z.object({ t: z.string(), gmv: z.int(), orders: z.int() }))
      .describe("hourly for today, daily otherwise; every bucket of the period, zeros included"),
  })
  .openapi("OpsOverview");
type Overview = z.infer<typeof overviewSchema>;

/** The sums of the period and the one before (one row each at most), by span. */
const SUMS = `
  SELECT CASE WHEN hour >= ?2 THEN 'current' ELSE 'previous' END AS span,
    SUM(gmv) AS gmv, SUM(orders) AS orders, SUM(accepted) AS accepted, SUM(rejected) AS rejected,
    SUM(cancelled) AS cancelled, SUM(shipped) AS shipped, SUM(shipped_on_time) AS shipped_on_time,
    SUM(ratings) AS ratings, SUM(rating_sum) AS rating_sum, SUM(visits) AS visits,
    COUNT(DISTINCT CASE WHEN orders > 0 THEN seller_id END) AS sellers_active
  FROM seller_hourly
  WHERE platform_id = ?1 AND ((hour >= ?2 AND hour < ?3) OR (hour >= ?4 AND hour < ?5))
  GROUP BY span`;

/** GMV and orders of the period by trend bucket (?4 hours each; D1 binds a number as REAL, hence the cast). */
const TREND = `
  SELECT hour / CAST(?4 AS INTEGER) AS bucket, SUM(gmv) AS gmv, SUM(orders) AS orders
  FROM seller_hourly WHERE platform_id = ?1 AND hour >= ?2 AND hour < ?3 GROUP BY bucket`;

/** Answers by platform and period, and those whose newer answer is being read. */
const cache = new Map<string, { overview: Overview; at: number }>();
const refreshing = new Set<string>();

export const opsOverview = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
opsOverview.use("/overview", authenticate, operatorAccess);

opsOverview.openapi(
  createRoute({
    method: "get",
    path: "/overview",
    summary: "The platform at a glance: totals of the period, the period before, and a trend",
    ...operation("getOpsOverview", "Operator", OPERATOR),
    request: { query: z.object({ period: z.enum(OVERVIEW_PERIODS).default("today") }) },
    responses: { 200: jsonContent(overviewSchema, "The platform's figures", ex.OPS_OVERVIEW), ...errorResponses },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { period } = c.req.valid("query");
    const key = `${platform.id}\n${period}`;
    const now = Date.now();
    const kept = cache.get(key);
    if (kept && now - kept.at < FRESH_MS) return c.json(kept.overview, 200);
    if (kept && now - kept.at < STALE_MS) {
      // Not awaited by this request (nor shared with another: a promise stays in its request's context).
      if (!refreshing.has(key)) {
        refreshing.add(key);
        const refresh = overviewOf(c.env.DB, platform, period, now)
          .then((overview) => keep(key, overview, now))
          .catch((error) => console.error("the overview was not read again; the kept one stands", error))
          .finally(() => refreshing.delete(key));
        c.executionCtx.waitUntil(refresh);
      }
      return c.json(kept.overview, 200);
    }
    const overview = await overviewOf(c.env.DB, platform, period, now);
    keep(key, overview, now);
    return c.json(overview, 200);
  },
);

function keep(key: string, overview: Overview, at: number): void {
  cache.delete(key);
  cache.set(key, { overview, at });
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
}

async function overviewOf(
  db: D1Database,
  platform: { id: string; currency: string },
  period: OverviewPeriod,
  nowMs: number,
): Promise<Overview> {
  const spans = spansOf(period, nowMs);
  // seller_hourly_by_hour (platform_id, hour): both reads walk the hours they sum, no other.
  const [sums, trend] = await db.batch([
    db.prepare(SUMS).bind(platform.id, ...spans.current, ...spans.previous),
    db.prepare(TREND).bind(platform.id, ...spans.current, spans.bucketHours),
  ]);
  const bySpan = new Map((sums!.results as (SpanSums & { span: string })[]).map((r) => [r.span, r]));
  return {
    currency: platform.currency,
    period,
    as_of: new Date(nowMs).toISOString(),
    ...figuresOf(bySpan.get("current"), spans.current),
    previous: figuresOf(bySpan.get("previous"), spans.previous),
    trend: trendOf(trend!.results as { bucket: number; gmv: number; orders: number }[], spans),
  };
}
