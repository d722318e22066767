/**
 * The operator's view of a seller's ignored events: order events its ledger received and did not
 * count (one that made no sense in the order's state, or came past the order's cap), each with why.
 * Read from the seller's own ledger; a seller of the caller's platform only, and never to a seller.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ledgerName } from "../auth/ledger-names.ts";
import { sellerIdSchema } from "../events/schema.ts";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { badRequest } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";

const ignoredSchema = z
  .object({
    event_id: z.string(),
    order_id: z.string(),
    type: z.string(),
    reason: z
      .string()
      .describe('why it did not count: "rejected when accepted", "the order already has 100 events"...'),
  })
  .openapi("IgnoredEvent");

export const opsIgnoredEvents = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
opsIgnoredEvents.use("/sellers/:id/ignored-events", authenticate, operatorAccess);

/** Where a page ends: [order_id, event_id], as base64url JSON. */
const encode = (after: [string, string]) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(after))))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
function decode(text: string): [string, string] {
  try {
    const bytes = Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (ch) => ch.charCodeAt(0));
    const parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === "string"))
      return parsed as [string, string];
  } catch {}
  throw badRequest("cursor: not a next_cursor this endpoint gave");
}

opsIgnoredEvents.openapi(
  createRoute({
    method: "get",
    path: "/sellers/{id}/ignored-events",
    summary: "A seller's order events that did not count, and why (by order, then event id)",
    ...operation("listIgnoredEvents", "Operator", OPERATOR),
    request: {
      params: z.object({
        id: sellerIdSchema.openapi({ param: { name: "id", in: "path", example: "s-17" }, example: "s-17" }),
      }),
      query: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        cursor: z.string().max(2000).optional().describe("next_cursor of the page before"),
      }),
    },
    responses: {
      200: jsonContent(
        z.object({
          seller_id: z.string(),
          ignored_events: z.array(ignoredSchema),
          next_cursor: z.string().nullable(),
        }),
        "The seller's ignored events",
        ex.IGNORED_EVENTS,
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { id } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? (["", ""] as [string, string]) : decode(cursor);
    const rows = await c.env.LEDGER.getByName(ledgerName(platform.id, id)).ignoredEvents(limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        seller_id: id,
        ignored_events: page,
        next_cursor: rows.length > limit && last ? encode([last.order_id, last.event_id]) : null,
      },
      200,
    );
  },
);
