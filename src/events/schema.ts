/**
 * The events of the API (docs/semantics.md, "Events") as zod schemas: the one definition of an event.
 * The ingest API validates with it, the queue consumer re-parses message bodies with it, and
 * the simulator and tests build events from its types. Unknown fields are stripped (zod's
 * default), so they are never stored; timestamps are normalised to UTC.
 */
import { z } from "zod";

const CHANNELS = ["search", "ads", "social", "email", "direct", "other"] as const;
const CANCELLED_BY = ["buyer", "seller", "platform"] as const;

/** Events may be at most this far in the future (event clocks drift; more is a bug). */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

/**
 * Well-formed UTF-16: every surrogate in a pair. A lone one no UTF-8 store or URL can hold (it
 * comes back as U+FFFD). Its alternatives are disjoint, so it runs in linear time, and as a
 * built-in regex check it costs less than a refine.
 */
const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
/**
 * No control characters (C0, DEL, C1), which no id or label needs and which break logs and CSV
 * lines, and no bidirectional formatting characters (U+061C, U+200E-U+200F, U+202A-U+202E,
 * U+2066-U+2069), which make a text display as something else (a seller id that reads as
 * another's in the operator's console).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to refuse control characters
const PLAIN = /^[^\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$/;
const PLAIN_MESSAGE = "must not contain control characters or bidirectional formatting characters";
/**
 * Text of 1 to `max` characters that is well-formed Unicode (a seller id with a lone surrogate
 * would be stored, but no path could name it to read it back) and plain (PLAIN).
 */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(WELL_FORMED, "must be well-formed Unicode (it contains a lone surrogate)")
    .regex(PLAIN, PLAIN_MESSAGE);
/** A category's longest name (the public rankings' path names it). */
export const MAX_CATEGORY_CHARS = 128;
/** An id (event, order, product...): 1 to 128 characters of plain, well-formed text. */
const id = text(128);
/**
 * A seller id: an id that a URL path can name. "." and ".." are path segments every URL parser
 * removes (as %2E too), so a seller of that id could never be read.
 */
export const sellerIdSchema = id.regex(/^(?!\.\.?$)/, 'must not be "." or "..", which no URL path can name');
/**
 * The largest amounts an event may carry (docs/semantics.md, "Bounds"): far above any real sale,
 * low enough that a seller's 64-bit sums (SQLite's SUM fails on overflow, for ever after) have
 * room for hundreds of thousands of events at the maximum.
 */
export const MAX_UNIT_PRICE = 1e12;
export const MAX_ORDER_VALUE = 1e13;
export const MAX_FEE = 1e12;
export const MAX_AMOUNT = 1e13;
export const MAX_VISITS = 1e9;
/** Integer minor units (cents), at most `max`. */
const minorUnits = (max: number) => z.int().min(0).max(max);
const currency = z
  .string()
  .max(3, "an ISO 4217 code such as USD")
  .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD");
/** Longer than any RFC 3339 timestamp (nanoseconds and an offset make 35). */
const MAX_TIMESTAMP_CHARS = 64;
/**
 * RFC 3339 with any offset, stored as UTC ("2026-01-02T03:04:05.000Z"). RFC 3339 also allows a
 * lower-case "t" and "z", and a leap second (":60"), which a Date cannot hold: that is stored as
 * the last millisecond of the second before it, so it stays in the same hour and day.
 */
export const timestampSchema = z
  .string()
  .max(MAX_TIMESTAMP_CHARS)
  .transform((value) =>
    value.toUpperCase().replace(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:)60(\.\d+)?/, (_, minute: string) => `${minute}59.999`),
  )
  .pipe(z.iso.datetime({ offset: true }))
  .transform((value) => new Date(value).toISOString())
  .meta({ format: "date-time" }); // what the OpenAPI document says (it cannot see through the pipe)

const base = {
  event_id: id,
  occurred_at: timestampSchema,
  seller_id: sellerIdSchema,
};

const itemSchema = z.object({
  product_id: id,
  category: text(MAX_CATEGORY_CHARS),
  quantity: z.int().min(1).max(1_000_000),
  unit_price: minorUnits(MAX_UNIT_PRICE),
});

const orderPlacedSchema = z.object({
  ...base,
  type: z.literal("order.placed"),
  order_id: id,
  currency,
  items: z
    .array(itemSchema)
    .min(1)
    .max(100)
    // Each line is at most 10^18, so the sum of 100 stays exact enough to compare with the bound.
    .refine((items) => items.reduce((sum, i) => sum + i.quantity * i.unit_price, 0) <= MAX_ORDER_VALUE, {
      message: `the order's value (the sum of quantity × unit_price) must be at most ${MAX_ORDER_VALUE} minor units`,
    }),
  commission_bps: z.int().min(0).max(10_000),
  fee: minorUnits(MAX_FEE).default(0),
  region: text(64),
  channel: z.enum(CHANNELS),
  // 0: the order must ship at placement to be on time.
  ship_within_hours: z
    .number()
    .min(0)
    .max(24 * 365),
});

const orderStep = <T extends string>(type: T) => z.object({ ...base, type: z.literal(type), order_id: id });

const orderAcceptedSchema = orderStep("order.accepted");
const orderShippedSchema = orderStep("order.shipped");
const orderDeliveredSchema = orderStep("order.delivered");
const orderRejectedSchema = orderStep("order.rejected").extend({
  reason: text(256),
});
const orderCancelledSchema = orderStep("order.cancelled").extend({
  reason: text(256),
  by: z.enum(CANCELLED_BY),
});
const orderRefundedSchema = orderStep("order.refunded").extend({
  refund_id: id,
  amount: z.int().min(1).max(MAX_AMOUNT),
});
const ratingSubmittedSchema = orderStep("rating.submitted").extend({
  rating: z.int().min(1).max(5),
});
const storefrontVisitsSchema = z.object({
  ...base,
  type: z.literal("storefront.visits"),
  channel: z.enum(CHANNELS),
  visits: z.int().min(0).max(MAX_VISITS),
});
const payoutPaidSchema = z.object({
  ...base,
  type: z.literal("payout.paid"),
  payout_id: id,
  currency,
  amount: z.int().min(1).max(MAX_AMOUNT),
});

export const eventSchema = z.discriminatedUnion("type", [
  orderPlacedSchema,
  orderAcceptedSchema,
  orderRejectedSchema,
  orderCancelledSchema,
  orderShippedSchema,
  orderDeliveredSchema,
  orderRefundedSchema,
  ratingSubmittedSchema,
  storefrontVisitsSchema,
  payoutPaidSchema,
]);

export const EVENT_TYPES = eventSchema.options.map((o) => o.shape.type.value);

export type SellerEvent = z.infer<typeof eventSchema>;
/** What a platform writes (before defaults and normalisation). */
export type SellerEventInput = z.input<typeof eventSchema>;
export type OrderPlaced = z.infer<typeof orderPlacedSchema>;
export type OrderItem = z.infer<typeof itemSchema>;
export type Channel = (typeof CHANNELS)[number];
/** Events that belong to an order (all but visits and payouts). */
export type OrderEvent = Extract<SellerEvent, { order_id: string }>;

export function isOrderEvent(event: SellerEvent): event is OrderEvent {
  return "order_id" in event;
}

/**
 * The body of one queue message: a platform's events, already validated at ingest. `resent`: the
 * consumer put these back on the queue (src/pipeline/share.ts), and takes them first when they come.
 * `archive_only`: the events were applied while R2 could not take their archive copy, which this
 * message carries until it can (src/pipeline/archive-later.ts); `held` counts its tries.
 */
export const queueMessageSchema = z.object({
  platform: id,
  currency,
  events: z.array(eventSchema).min(1),
  resent: z.literal(true).optional(),
  archive_only: z.literal(true).optional(),
  held: z.int().min(0).max(1_000_000).optional(),
});
export type QueueMessage = z.infer<typeof queueMessageSchema>;
