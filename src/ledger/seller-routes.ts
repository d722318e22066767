/**
 * Seller reads: summary, timeseries, breakdown and the live WebSocket. Each is answered by
 * the seller's own SellerLedger; a seller token reaches only its own seller (403 otherwise).
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { holderOf } from "../auth/session-revocations.ts";
import { MAX_TOKEN_CHARS, SESSION_TTL_SECONDS } from "../auth/session-tokens.ts";
import { allowancesOf } from "../db/platform-allowances.ts";
import { timestampSchema } from "../events/schema.ts";
import { type AppEnv, authenticateSocket, sellerAccess } from "../http/authenticate.ts";
import { badRequest } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, READERS } from "../http/openapi/operations.ts";
import { errorResponses, errorSchema, jsonContent } from "../http/openapi/schemas.ts";
import { ledgerOf, params, reader, wellEncodedId } from "../http/seller-reader.ts";
import { validationHook } from "../http/validation.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";
import { summarySchema } from "../metrics/summary.ts";
import { breakdownSchema, bucketCount, METRICS, timeseriesSchema } from "../metrics/timeseries.ts";
import { sendJsonText } from "./json-response.ts";
import {
  LIVE_CURRENCY_HEADER,
  LIVE_EXPIRES_HEADER,
  LIVE_HOLDER_HEADER,
  LIVE_MAX_SOCKETS_HEADER,
  LIVE_SELLER_HEADER,
} from "./live-protocol.ts";
import { firstKeptMinute, MINUTE_METRICS, MINUTE_MS, type MinuteMetric, minuteCount } from "./minutes.ts";

/** A timeseries answers at most this many buckets (about 13 months of hours). */
const MAX_BUCKETS = 10_000;
/** A minute series answers at most this many minutes (six hours), from the last 48 hours. */
const MAX_MINUTES = 360;

/** All time, for a breakdown without bounds: the range of a JavaScript Date (events may predate 1970). */
const EARLIEST_MS = -8.64e15;
const LATEST_MS = 8.64e15;

/** As an event's occurred_at: RFC 3339 with any offset (a leap second too). */
const instant = timestampSchema;
const range = {
  from: instant.optional().describe("RFC 3339; the first bucket is the first starting at or after it"),
  to: instant.optional().describe("RFC 3339, exclusive; defaults to now"),
};

export const sellers = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

function rangeOf(query: { from?: string; to?: string }, defaultSpanMs: number): [number, number] {
  const to = query.to ? Date.parse(query.to) : Date.now();
  const from = query.from ? Date.parse(query.from) : to - defaultSpanMs;
  if (from > to) throw badRequest("`from` must not be after `to`");
  return [from, to];
}

sellers.openapi(
  createRoute({
    method: "get",
    path: "/{id}/summary",
    summary: "The seller's live summary: today, 7d, 30d and all time, payouts and open orders",
    ...operation("getSellerSummary", "Seller reads", READERS),
    middleware: reader,
    request: {
      params,
      query: z.object({
        compare: z.enum(["previous"]).optional().describe("adds `previous`: the periods each is compared with"),
      }),
    },
    responses: { 200: jsonContent(summarySchema, "The summary", ex.SUMMARY), ...errorResponses },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { compare } = c.req.valid("query");
    const { platform, ledger } = ledgerOf(c, id);
    return sendJsonText(c, await ledger.summaryJson(id, platform.currency, Date.now(), compare === "previous"));
  },
);

sellers.openapi(
  createRoute({
    method: "get",
    path: "/{id}/timeseries",
    summary: "One metric by minute, hour or day over [from, to), every bucket present",
    description:
      "`granularity=minute` serves `gmv`, `orders` and `visits`, for minutes within the last 48 hours, at most 360 a request (by default the last 60 minutes); hours and days serve every metric, at most 10,000 buckets.",
    ...operation("getSellerTimeseries", "Seller reads", READERS),
    middleware: reader,
    request: {
      params,
      query: z.object({
        metric: z.enum(METRICS as [string, ...string[]]).default("gmv"),
        granularity: z.enum(["minute", "hour", "day"]).default("hour"),
        ...range,
      }),
    },
    responses: { 200: jsonContent(timeseriesSchema, "The points", ex.TIMESERIES), ...errorResponses },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    if (query.granularity === "minute") {
      const [metric, from, to] = minuteQuery(query);
      return sendJsonText(c, await ledgerOf(c, id).ledger.minuteSeriesJson(metric, from, to));
    }
    const [from, to] = rangeOf(query, query.granularity === "hour" ? 24 * HOUR_MS : 30 * DAY_MS);
    if (bucketCount(from, to, query.granularity) > MAX_BUCKETS) {
      throw badRequest(
        `The range holds more than ${MAX_BUCKETS} buckets; narrow it${query.granularity === "hour" ? " or use granularity=day" : ""}`,
      );
    }
    const { ledger } = ledgerOf(c, id);
    const metric = query.metric as (typeof METRICS)[number];
    const points = await ledger.timeseries(metric, query.granularity, from, to);
    return c.json({ metric, granularity: query.granularity, points }, 200);
  },
);

/** A minute series' metric and range: the last 48 hours only, at most MAX_MINUTES buckets, of the metrics kept by minute. */
function minuteQuery(query: { metric: string; from?: string; to?: string }): [MinuteMetric, number, number] {
  const metric = MINUTE_METRICS.find((m) => m === query.metric);
  if (metric === undefined)
    throw badRequest(
      `granularity=minute serves ${MINUTE_METRICS.join(", ")}; use granularity=hour for ${query.metric}`,
    );
  const [from, to] = rangeOf(query, 60 * MINUTE_MS);
  if (Math.ceil(from / MINUTE_MS) < firstKeptMinute(Date.now()))
    throw badRequest("granularity=minute covers the last 48 hours: move `from` later, or use granularity=hour");
  if (minuteCount(from, to) > MAX_MINUTES)
    throw badRequest(`The range holds more than ${MAX_MINUTES} minutes; narrow it or use granularity=hour`);
  return [metric, from, to];
}

sellers.openapi(
  createRoute({
    method: "get",
    path: "/{id}/breakdown",
    summary: "GMV and orders by category, channel or region over [from, to) (all time by default)",
    description:
      "Rows are kept by hour: the period is the hours starting in [from, to), the buckets a timeseries with granularity=hour would show. A bound inside an hour moves to the next hour's start. By channel, each row also has the channel's `visits` and `conversion_rate` (orders ÷ visits, null without visits), and a channel with visits and no orders has its row.",
    ...operation("getSellerBreakdown", "Seller reads", READERS),
    middleware: reader,
    request: { params, query: z.object({ by: z.enum(["category", "channel", "region"]), ...range }) },
    responses: { 200: jsonContent(breakdownSchema, "The rows", ex.BREAKDOWN), ...errorResponses },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    const from = query.from ? Date.parse(query.from) : EARLIEST_MS;
    const to = query.to ? Date.parse(query.to) : LATEST_MS;
    if (from > to) throw badRequest("`from` must not be after `to`");
    const { ledger } = ledgerOf(c, id);
    return c.json({ by: query.by, rows: await ledger.breakdown(query.by, from, to) }, 200);
  },
);

sellers.openapi(
  createRoute({
    method: "get",
    path: "/{id}/live",
    summary: "WebSocket: the summary (JSON text) on connect and whenever it changes",
    description:
      "A WebSocket upgrade. Browsers cannot set headers on a WebSocket, so a session token (never a platform key) may also be given as `?token=`. A socket gets nothing after its session expires (a platform key's socket: an hour after it opened) or is revoked: it is closed with code 4401 (reason `session expired` or `session revoked`) at the next push or within a minute, whichever comes first; connect again with a refreshed token (POST /v1/sessions/refresh).",
    ...operation("openSellerLive", "Seller reads", READERS),
    middleware: [wellEncodedId, authenticateSocket, sellerAccess],
    request: {
      params,
      query: z.object({
        token: z
          .string()
          .max(MAX_TOKEN_CHARS)
          .optional()
          .describe("A session token (not a platform key), for clients that cannot send an Authorization header"),
      }),
    },
    responses: {
      101: { description: "Switching Protocols: each message is the summary, as GET /summary returns it" },
      ...errorResponses,
      409: jsonContent(
        errorSchema,
        "The seller has its allowance of live sockets open (limit_reached)",
        ex.SOCKETS_LIMIT_REACHED,
      ),
    },
  }),
  async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw badRequest("Connect with a WebSocket upgrade");
    const { id } = c.req.valid("param");
    const { platform, ledger } = ledgerOf(c, id);
    const request = new Request(c.req.raw);
    request.headers.set(LIVE_SELLER_HEADER, id);
    request.headers.set(LIVE_CURRENCY_HEADER, platform.currency);
    // Only the Worker says when a socket's session ends (a caller's own header is replaced). A
    // platform key's socket ends like a session's, an hour on: a revoked key's socket ends too.
    const principal = c.get("principal");
    const expiresAt = principal.kind === "platform" ? Date.now() + SESSION_TTL_SECONDS * 1000 : principal.expiresAt;
    request.headers.set(LIVE_EXPIRES_HEADER, String(expiresAt));
    request.headers.set(LIVE_HOLDER_HEADER, JSON.stringify({ platform: platform.id, holder: holderOf(principal) }));
    const { live_sockets_per_seller: max } = await allowancesOf(c.env, platform.id);
    request.headers.set(LIVE_MAX_SOCKETS_HEADER, String(max));
    const response = await ledger.fetch(request);
    // The upgrade is the runtime's own; a refusal gets this app's headers like any answer.
    return response.status === 101 ? response : new Response(response.body, response);
  },
);
