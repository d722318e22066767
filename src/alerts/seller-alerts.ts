/**
 * GET /v1/sellers/{id}/alerts: the seller's alerts, newest first, from its ledger (fresh the
 * moment one is raised): the open ones by default, or all of them.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, READERS } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { ledgerOf, params, reader } from "../http/seller-reader.ts";
import { validationHook } from "../http/validation.ts";
import { alertSchema } from "./alert-types.ts";

/** The most alerts one read answers (the newest). */
const MAX_ALERTS = 1_000;

export const sellerAlerts = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

sellerAlerts.openapi(
  createRoute({
    method: "get",
    path: "/{id}/alerts",
    summary: "The seller's alerts, newest first (open ones by default)",
    ...operation("listSellerAlerts", "Seller reads", READERS),
    middleware: reader,
    request: { params, query: z.object({ status: z.enum(["open", "all"]).default("open") }) },
    responses: {
      200: jsonContent(z.object({ alerts: z.array(alertSchema) }), "At most the newest 1,000", ex.ALERTS),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { status } = c.req.valid("query");
    const { ledger } = ledgerOf(c, id);
    return c.json({ alerts: await ledger.alerts(status, MAX_ALERTS) }, 200);
  },
);
