/**
 * Seller reads: summary, timeseries, breakdown and the live WebSocket. Each is answered by
 * the seller's own SellerLedger; a seller token reaches only its own seller (403 otherwise).
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { SESSION_TTL_SECONDS } from "../auth/session-tokens.ts";
import { timestampSchema } from "../events/schema.ts";
import { type AppEnv, authenticateSocket, sellerAccess } from "../http/authenticate.ts";
import { badRequest } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, READERS } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { ledgerOf, params, reader, wellEncodedId } from "../http/seller-reader.ts";
import { validationHook } from "../http/validation.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";
import { summarySchema } from "../metrics/summary.ts";
import { breakdownSchema, bucketCount, METRICS, timeseriesSchema } from "../metrics/timeseries.ts";
import { sendJsonText } from "./json-response.ts";
import { LIVE_CURRENCY_HEADER, LIVE_EXPIRES_HEADER, LIVE_SELLER_HEADER } from "./live-protocol.ts";

/** A timeseries answers at most this many buckets (about 13 months of hours). */
const MAX_BUCKETS = 10_000;

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
    summary: "One metric by hour or day over [from, to), every bucket present",
    ...operation("getSellerTimeseries", "Seller reads", READERS),
    middleware: reader,
    request: {
      params,
      query: z.object({
        metric: z.enum(METRICS as [string, ...string[]]).default("gmv"),
        granularity: z.enum(["hour", "day"]).default("hour"),
        ...range,
      }),
    },
    responses: { 200: jsonContent(timeseriesSchema, "The points", ex.TIMESERIES), ...errorResponses },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
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

sellers.openapi(
  createRoute({
    method: "get",
    path: "/{id}/breakdown",
    summary: "GMV and orders by category or channel over [from, to) (all time by default)",
    description:
      "Rows are kept by hour: the period is the hours starting in [from, to), the buckets a timeseries with granularity=hour would show. A bound inside an hour moves to the next hour's start.",
    ...operation("getSellerBreakdown", "Seller reads", READERS),
    middleware: reader,
    request: { params, query: z.object({ by: z.enum(["category", "channel"]), ...range }) },
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
      "A WebSocket upgrade. Browsers cannot set headers on a WebSocket, so a session token (never a platform key) may also be given as `?token=`. A socket gets nothing after its session expires (a platform key's socket: an hour after it opened): the next push closes it with code 4401.",
    ...operation("openSellerLive", "Seller reads", READERS),
    middleware: [wellEncodedId, authenticateSocket, sellerAccess],
    request: {
      params,
      query: z.object({
        token: z
          .string()
          .optional()
          .describe("A session token (not a platform key), for clients that cannot send an Authorization header"),
      }),
    },
    responses: {
      101: { description: "Switching Protocols: each message is the summary, as GET /summary returns it" },
      ...errorResponses,
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
    return ledger.fetch(request);
  },
);
