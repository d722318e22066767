/**
 * The operator's sellers and payout liability, from the seller_health projection each ledger's
 * flush writes (so figures may lag the ledgers by the flush delay): one D1 query per page,
 * whatever the number of sellers, and one for the liability. The platform's own sellers only.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { badRequest } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";

/** Each order's column and direction: the worst sellers first (the most GMV first). Nulls last. */
const SORTS = {
  health: { column: "health", descending: false },
  gmv: { column: "gmv_7d", descending: true },
  sla_compliance: { column: "sla_compliance", descending: false },
  cancellation_rate: { column: "cancellation_rate", descending: true },
  avg_rating: { column: "avg_rating", descending: false },
} as const;

const rate = z.number().nullable();
const opsSellerSchema = z
  .object({
    seller_id: z.string(),
    health: z.int().describe("0–100 from the trailing 7 days (formula in the README)"),
    flagged: z.boolean().describe("an open threshold or SLA-breach alert"),
    reasons: z.array(z.string()).describe("the open flagging alerts' types"),
    gmv_7d: z.int(),
    orders_7d: z.int(),
    sla_compliance: rate,
    acceptance_rate: rate,
    cancellation_rate: rate,
    avg_rating: rate,
    open_alerts: z.int(),
  })
  .openapi("OpsSeller");

const payoutsSchema = z
  .object({
    currency: z.string(),
    accrued: z.int(),
    paid: z.int(),
    pending: z.int(),
    commission: z.int(),
    fees: z.int(),
    refunds: z.int(),
    sellers: z.int(),
  })
  .openapi("OpsPayouts");

export const opsSellers = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// Its own paths only: a "*" here would run for every /v1/ops route, authenticating and counting it again.
opsSellers.use("/sellers", authenticate, operatorAccess);
opsSellers.use("/payouts", authenticate, operatorAccess);

/** Where a page ends: [value is null, value, seller id], as base64url JSON. */
type Cursor = [isNull: 0 | 1, value: number | null, sellerId: string];
const encode = (cursor: Cursor) =>
  btoa(JSON.stringify(cursor)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
function decode(text: string): Cursor {
  try {
    const parsed = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/"))) as unknown;
    const cursor = z.tuple([z.union([z.literal(0), z.literal(1)]), z.number().nullable(), z.string()]).parse(parsed);
    return cursor as Cursor;
  } catch {
    throw badRequest("cursor is not one this endpoint gave");
  }
}

type Row = Omit<z.infer<typeof opsSellerSchema>, "flagged" | "reasons"> & { flagged: number; reasons: string };

opsSellers.openapi(
  createRoute({
    method: "get",
    path: "/sellers",
    summary: "The platform's sellers with health, flags and trailing-7-day figures, a page at a time",
    ...operation("listOpsSellers", "Operator", OPERATOR),
    request: {
      query: z.object({
        flagged: z.enum(["true", "false"]).optional().describe("true: flagged sellers only"),
        sort: z.enum(["health", "gmv", "sla_compliance", "cancellation_rate", "avg_rating"]).default("health"),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().max(1024).optional().describe("next_cursor of the page before"),
      }),
    },
    responses: {
      200: jsonContent(
        z.object({ sellers: z.array(opsSellerSchema), next_cursor: z.string().nullable() }),
        "A page",
        ex.OPS_SELLERS,
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const query = c.req.valid("query");
    const { column, descending } = SORTS[query.sort];
    const after = query.cursor ? decode(query.cursor) : null;
    // Keyset pagination in the sort's own order: (value is null), value, seller id.
    const beyond = descending ? "<" : ">";
    const where = [
      "platform_id = ?1",
      query.flagged === "true" ? "flagged = 1" : query.flagged === "false" ? "flagged = 0" : null,
      after === null
        ? null
        : after[0] === 1
          ? `(${column} IS NULL AND seller_id > ?3)`
          : `(${column} IS NULL OR ${column} ${beyond} ?2 OR (${column} = ?2 AND seller_id > ?3))`,
    ].filter(Boolean);
    const { results } = await c.env.DB.prepare(
      `SELECT seller_id, health, flagged, reasons, gmv_7d, orders_7d, sla_compliance, acceptance_rate,
         cancellation_rate, avg_rating, open_alerts
       FROM seller_health WHERE ${where.join(" AND ")}
       ORDER BY ${column} IS NULL, ${column} ${descending ? "DESC" : "ASC"}, seller_id LIMIT ?4`,
    )
      .bind(platform.id, after?.[1] ?? null, after?.[2] ?? "", query.limit + 1)
      .all<Row>();
    const page = results.slice(0, query.limit);
    const last = page[page.length - 1];
    const value = last ? (last[column as keyof Row] as number | null) : null;
    return c.json(
      {
        sellers: page.map((r) => ({ ...r, flagged: r.flagged === 1, reasons: JSON.parse(r.reasons) as string[] })),
        next_cursor:
          results.length > query.limit && last ? encode([value === null ? 1 : 0, value, last.seller_id]) : null,
      },
      200,
    );
  },
);

opsSellers.openapi(
  createRoute({
    method: "get",
    path: "/payouts",
    summary: "The platform's payout liability: the sums of its sellers' lifetime payout balances",
    ...operation("getOpsPayouts", "Operator", OPERATOR),
    responses: {
      200: jsonContent(payoutsSchema, "The liability, in the platform's currency", ex.OPS_PAYOUTS),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const sums = await c.env.DB.prepare(
      `SELECT COALESCE(SUM(payout_accrued), 0) AS accrued, COALESCE(SUM(payout_paid), 0) AS paid,
         COALESCE(SUM(commission), 0) AS commission, COALESCE(SUM(fees), 0) AS fees,
         COALESCE(SUM(refunds), 0) AS refunds, COUNT(*) AS sellers
       FROM seller_health WHERE platform_id = ?`,
    )
      .bind(platform.id)
      .first<Omit<z.infer<typeof payoutsSchema>, "currency" | "pending">>();
    const s = sums!;
    return c.json({ currency: platform.currency, ...s, pending: s.accrued - s.paid }, 200);
  },
);
