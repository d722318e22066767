/**
 * Response shapes for the OpenAPI document: the error envelope and the seller reads.
 * They describe what src/ledger returns; the contract tests hold the two together.
 */
import { z } from "@hono/zod-openapi";

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi("Error");

const count = z.int();
const money = z.int().describe("minor units (cents)");
const rate = z.number().nullable().describe("a fraction from 0 to 1; null when its divisor is 0");

const periodSchema = z
  .object({
    gmv: money,
    orders: count,
    accepted: count,
    rejected: count,
    cancelled: count,
    cancelled_by_seller: count,
    acceptance_rate: rate,
    cancellation_rate: rate,
    seller_cancellation_rate: rate,
    shipped: count,
    shipped_on_time: count,
    late_shipments: count,
    sla_compliance: rate,
    ratings: count,
    avg_rating: z.number().nullable(),
    positive_ratings: count,
    negative_ratings: count,
    visits: count,
    conversion_rate: z.number().nullable().describe("orders ÷ visits, not capped at 1"),
    refunds: money,
    payout_accrued: money,
    payout_paid: money,
  })
  .openapi("Period");

export const summarySchema = z
  .object({
    seller_id: z.string(),
    currency: z.string(),
    updated_at: z.string().nullable(),
    since: z.string().nullable().describe("the start of the first UTC hour with any figure; null with none"),
    periods: z.object({ today: periodSchema, "7d": periodSchema, "30d": periodSchema, all: periodSchema }),
    payout: z.object({ accrued: money, paid: money, pending: money, commission: money, fees: money, refunds: money }),
    open: z.object({ awaiting_acceptance: count, awaiting_shipment: count, overdue: count }),
    previous: z
      .object({ today: periodSchema, "7d": periodSchema, "30d": periodSchema })
      .optional()
      .describe(
        "with ?compare=previous: today's hours of yesterday (up to the current hour), and the 7 and 30 days before 7d and 30d",
      ),
  })
  .openapi("Summary");

export const timeseriesSchema = z
  .object({
    metric: z.string(),
    granularity: z.enum(["hour", "day"]),
    points: z.array(z.object({ t: z.string(), value: z.number().nullable() })),
  })
  .openapi("Timeseries");

export const breakdownSchema = z
  .object({
    by: z.enum(["category", "channel"]),
    rows: z.array(z.object({ key: z.string(), gmv: money, orders: count })),
  })
  .openapi("Breakdown");

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const errorResponses = {
  400: jsonContent(errorSchema, "Invalid parameters"),
  401: jsonContent(errorSchema, "Missing or invalid credentials"),
  403: jsonContent(errorSchema, "The credentials do not reach this resource"),
} as const;
