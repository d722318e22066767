/**
 * The operator's sellers and payout liability, from the seller_health projection each ledger's
 * flush writes (so figures may lag the ledgers by the flush delay): one D1 query per page,
 * whatever the number of sellers, and one for the liability. The platform's own sellers only,
 * chosen by the exact platform id; `q` narrows them to the ids that start with it, as typed.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { decodeCursor, encodeCursor } from "../http/cursor.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent, pageSchema } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { prefixSuccessor } from "./id-prefix.ts";

/**
 * Each order's column and direction: the worst sellers first (the most GMV first), nulls last, ties
 * by seller id. Where the ties go the column's way over a column without nulls, the order is its
 * index's (health_by_health, health_by_pending): a page reads its own rows, not every seller's.
 */
const SORTS: Record<string, { column: string; descending: boolean; nullable: boolean; tiesDescending?: boolean }> = {
  health: { column: "health", descending: false, nullable: false },
  gmv: { column: "gmv_7d", descending: true, nullable: false },
  sla_compliance: { column: "sla_compliance", descending: false, nullable: true },
  cancellation_rate: { column: "cancellation_rate", descending: true, nullable: true },
  avg_rating: { column: "avg_rating", descending: false, nullable: true },
  // Who is owed most: the largest pending payout first.
  payout_pending: { column: "payout_pending", descending: true, nullable: false, tiesDescending: true },
};

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
    payout_pending: z.int().describe("what the platform owes the seller now: lifetime accrued − paid (minor units)"),
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

/** Where a page ends: [value is null, value, seller id]. */
const cursorSchema = z.tuple([z.union([z.literal(0), z.literal(1)]), z.number().nullable(), z.string()]);

/**
 * The rows after a page's last (?2 its value, ?3 its seller id) in the sort's own order: nulls
 * (the last of a nullable column) by seller id among themselves.
 */
function beyond(column: string, descending: boolean, tiesDescending: boolean, nullable: boolean, atNull: boolean) {
  const id = tiesDescending ? "seller_id < ?3" : "seller_id > ?3";
  if (atNull) return `(${column} IS NULL AND ${id})`;
  const next = `(${column} ${descending ? "<" : ">"} ?2 OR (${column} = ?2 AND ${id}))`;
  return nullable ? `(${column} IS NULL OR ${next})` : next;
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
        sort: z
          .enum(["health", "gmv", "sla_compliance", "cancellation_rate", "avg_rating", "payout_pending"])
          .default("health")
          .describe("health, the rates and avg_rating worst first; gmv and payout_pending largest first"),
        q: z
          .string()
          .max(128)
          .optional()
          .describe("only sellers whose id starts with this, exactly as typed (case and every character count)"),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().max(1024).optional().describe("next_cursor of the page before"),
      }),
    },
    responses: {
      200: jsonContent(pageSchema("sellers", opsSellerSchema), "A page", ex.OPS_SELLERS),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const query = c.req.valid("query");
    const { column, descending, nullable, tiesDescending = false } = SORTS[query.sort]!;
    const after = query.cursor ? decodeCursor(query.cursor, cursorSchema) : null;
    const prefix = query.q || null;
    const below = prefix === null ? null : prefixSuccessor(prefix);
    const where = [
      "platform_id = ?1",
      // A range on the raw id (it walks the primary key), and the exact test for a range with no end.
      prefix === null ? null : "seller_id >= ?5 AND substr(seller_id, 1, length(?5)) = ?5",
      below === null ? null : "seller_id < ?6",
      query.flagged === "true" ? "flagged = 1" : query.flagged === "false" ? "flagged = 0" : null,
      after === null ? null : beyond(column, descending, tiesDescending, nullable, after[0] === 1),
    ].filter(Boolean);
    const order = [
      nullable ? `${column} IS NULL` : null,
      `${column} ${descending ? "DESC" : "ASC"}`,
      `seller_id ${tiesDescending ? "DESC" : "ASC"}`,
    ].filter(Boolean);
    const { results } = await c.env.DB.prepare(
      `SELECT seller_id, health, flagged, reasons, gmv_7d, orders_7d, sla_compliance, acceptance_rate,
         cancellation_rate, avg_rating, open_alerts, payout_pending
       FROM seller_health WHERE ${where.join(" AND ")} ORDER BY ${order.join(", ")} LIMIT ?4`,
    )
      // ?5 and ?6 are bound only where the statement names them.
      .bind(
        platform.id,
        after?.[1] ?? null,
        after?.[2] ?? "",
        query.limit + 1,
        ...[prefix, below].filter((p) => p !== null),
      )
      .all<Row>();
    const page = results.slice(0, query.limit);
    const last = page[page.length - 1];
    const value = last ? (last[column as keyof Row] as number | null) : null;
    return c.json(
      {
        sellers: page.map((r) => ({ ...r, flagged: r.flagged === 1, reasons: JSON.parse(r.reasons) as string[] })),
        next_cursor:
          results.length > query.limit && last ? encodeCursor([value === null ? 1 : 0, value, last.seller_id]) : null,
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
