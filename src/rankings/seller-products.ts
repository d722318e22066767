/**
 * GET /v1/sellers/{id}/products: the seller's own products in the last ranking, with their own
 * units and revenue over its window (from the seller's ledger) and their rank by units in their
 * category, now and in the run before (from the rankings history). Only the seller's figures.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, READERS } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { ledgerOf, params, reader } from "../http/seller-reader.ts";
import { validationHook } from "../http/validation.ts";
import { lastRuns, ranksIn } from "./seller-ranks.ts";
import { RANKING_WINDOWS, windowHours } from "./windows.ts";

const rank = z.int().nullable().describe("by units in the category; null outside the top 100");
const sellerProductsSchema = z
  .object({
    window: z.enum(RANKING_WINDOWS),
    generated_at: z.string().nullable().describe("the last ranking's hour; null before the first"),
    products: z.array(
      z.object({
        product_id: z.string(),
        category: z.string(),
        units: z.int(),
        revenue: z.int().describe("minor units"),
        rank,
        previous_rank: rank.describe("in the ranking before; null outside its top 100, or none"),
      }),
    ),
  })
  .openapi("SellerProducts");

export const sellerProducts = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

sellerProducts.openapi(
  createRoute({
    method: "get",
    path: "/{id}/products",
    summary: "The seller's products in the last hourly ranking: units, revenue, rank and previous rank",
    ...operation("getSellerProducts", "Seller reads", READERS),
    middleware: reader,
    request: { params, query: z.object({ window: z.enum(RANKING_WINDOWS).default("24h") }) },
    responses: {
      200: jsonContent(sellerProductsSchema, "The seller's products, most units first", ex.SELLER_PRODUCTS),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { window } = c.req.valid("query");
    const { platform, ledger } = ledgerOf(c, id);
    const [last, before] = await lastRuns(c.env.DB, platform.id);
    if (!last) return c.json({ window, generated_at: null, products: [] }, 200);
    const hours = windowHours(window, last.runHour);
    const totals = await ledger.productTotals(hours.from, hours.to);
    const runs = before ? [last.runHour, before.runHour] : [last.runHour];
    const rankOf = await ranksIn(c.env.DB, platform.id, runs, window, [...new Set(totals.map((p) => p.product_id))]);
    const products = totals.map((p) => ({
      ...p,
      rank: rankOf(last.runHour, p.category, p.product_id),
      previous_rank: before ? rankOf(before.runHour, p.category, p.product_id) : null,
    }));
    return c.json({ window, generated_at: last.generatedAt, products }, 200);
  },
);
