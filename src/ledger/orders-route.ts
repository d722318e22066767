/**
 * GET /v1/sellers/{id}/orders: the orders a seller acts on, from its ledger (fresh), a page at
 * a time. `open` are those awaiting acceptance or shipment, overdue first then by deadline;
 * `overdue` only those past their deadline; `late` those shipped after it, newest shipment
 * first; `all` every order, newest placement first. Reads only the seller's own ledger.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/authenticate.ts";
import { decodeCursor } from "../http/cursor.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, READERS } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { ledgerOf, params, reader } from "../http/seller-reader.ts";
import { validationHook } from "../http/validation.ts";
import { sendJsonText } from "./json-response.ts";
import { ORDER_LISTS, type OrderList, ordersSchema } from "./orders-list.ts";

/** A cursor names its list and where the next page starts: [list, sort key, order id] (orders-list.ts: ordersBody). */
const cursorOf = (list: OrderList) => z.tuple([z.literal(list), z.number(), z.string().max(128)]);

export const sellerOrders = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

sellerOrders.openapi(
  createRoute({
    method: "get",
    path: "/{id}/orders",
    summary: "The seller's orders to act on (open, overdue, late) or all of them, a page at a time",
    description:
      "`open`: awaiting acceptance or shipment, by deadline (so the overdue ones come first, the latest of them first); `overdue`: only those past their deadline; `late`: shipped after their deadline, newest shipment first; `all`: every order, newest placement first. An order whose placement has not arrived is not listed. `order_id` looks up one order (in any state; the list is then that order or nothing).",
    ...operation("listSellerOrders", "Seller reads", READERS),
    middleware: reader,
    request: {
      params,
      query: z.object({
        status: z.enum(ORDER_LISTS).default("open"),
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: z.string().max(1024).optional().describe("next_cursor of the page before"),
        order_id: z.string().min(1).max(128).optional().describe("one order, whatever the list"),
      }),
    },
    responses: { 200: jsonContent(ordersSchema, "A page of orders", ex.ORDERS), ...errorResponses },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { status, limit, cursor, order_id: orderId } = c.req.valid("query");
    const { ledger } = ledgerOf(c, id);
    if (orderId !== undefined) return c.json({ orders: await ledger.ordersById([orderId]), next_cursor: null }, 200);
    const place = cursor === undefined ? null : decodeCursor(cursor, cursorOf(status));
    return sendJsonText(c, await ledger.ordersJson(status, limit, place && [place[1], place[2]]));
  },
);
