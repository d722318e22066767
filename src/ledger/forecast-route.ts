/**
 * GET /v1/sellers/{id}/forecast: today's (UTC) GMV and orders expected by midnight, with an 80%
 * interval and how often the same method's interval held on the seller's own last days
 * (forecast.ts says how). From the seller's own ledger only.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, READERS } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { ledgerOf, params, reader } from "../http/seller-reader.ts";
import { validationHook } from "../http/validation.ts";
import { forecastSchema } from "./forecast.ts";
import { sendJsonText } from "./json-response.ts";

export const sellerForecast = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

sellerForecast.openapi(
  createRoute({
    method: "get",
    path: "/{id}/forecast",
    summary: "Today's expected GMV and orders by midnight UTC, with an 80% interval and its backtest",
    description:
      "From the seller's own hourly history: an hour-of-week profile (the mean day of the 28 before, the weekday's level, the share of a day each hour holds), scaled by how today runs against it. `low`–`high` is an 80% interval from the errors the same method made at the same hour on up to 28 earlier days; `backtest.coverage` is the share of the last `backtest.days` complete days whose final GMV fell inside the interval it gave at this hour (`coverage_orders`: orders). With under 14 days of history, `expected`, `low` and `high` are null and `reason` says why.",
    ...operation("getSellerForecast", "Seller reads", READERS),
    middleware: reader,
    request: { params },
    responses: { 200: jsonContent(forecastSchema, "Today's forecast", ex.FORECAST), ...errorResponses },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { ledger } = ledgerOf(c, id);
    return sendJsonText(c, await ledger.forecastJson());
  },
);
