/**
 * The event contract (CONTRACT.md, "Events") as zod schemas: the one definition of an event.
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
 * Free text of 1 to `max` characters that is well-formed Unicode: a seller id with a lone
 * surrogate would be stored, but no path could name it to read it back.
 */
const text = (max: number) =>
  z.string().min(1).max(max).regex(WELL_FORMED, "must be well-formed Unicode (it contains a lone surrogate)");
/** WELL_FORMED without control characters (U+0000-U+001F, U+007F), which no id needs. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to refuse control characters
const ID_CHARS = /^(?:[^\uD800-\uDFFF\u0000-\u001F\u007F]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
/** An id (event, order, product...): 1 to 128 characters of well-formed text, no control characters. */
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(
    ID_CHARS,
    "must be well-formed Unicode without control characters (it contains a lone surrogate or a control character)",
  );
/**
 * A seller id: an id that a URL path can name. "." and ".." are path segments every URL parser
 * removes (as %2E too), so a seller of that id could never be read.
 */
export const sellerIdSchema = id.regex(/^(?!\.\.?$)/, 'must not be "." or "..", which no URL path can name');
/** Integer minor units (cents). */
const minorUnits = z.int().min(0);
const currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD");
/**
 * RFC 3339 with any offset, stored as UTC ("2026-01-02T03:04:05.000Z"). RFC 3339 also allows a
 * lower-case "t" and "z", and a leap second (":60"), which a Date cannot hold: that is stored as
 * the last millisecond of the second before it, so it stays in the same hour and day.
 */
export const timestampSchema = z
  .string()
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
  category: text(128),
  quantity: z.int().min(1).max(1_000_000),
  unit_price: minorUnits,
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
    // Money stays exact in a JavaScript number up to 2^53 - 1.
    .refine((items) => items.reduce((sum, i) => sum + i.quantity * i.unit_price, 0) <= Number.MAX_SAFE_INTEGER, {
      message: `the order's value (the sum of quantity × unit_price) must be at most ${Number.MAX_SAFE_INTEGER} minor units`,
    }),
  commission_bps: z.int().min(0).max(10_000),
  fee: minorUnits.default(0),
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
  amount: z.int().min(1),
});
const ratingSubmittedSchema = orderStep("rating.submitted").extend({
  rating: z.int().min(1).max(5),
});
const storefrontVisitsSchema = z.object({
  ...base,
  type: z.literal("storefront.visits"),
  channel: z.enum(CHANNELS),
  visits: z.int().min(0),
});
const payoutPaidSchema = z.object({
  ...base,
  type: z.literal("payout.paid"),
  payout_id: id,
  currency,
  amount: z.int().min(1),
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

/** The body of one queue message: a platform's events, already validated at ingest. */
export const queueMessageSchema = z.object({
  platform: id,
  currency,
  events: z.array(eventSchema).min(1),
});
export type QueueMessage = z.infer<typeof queueMessageSchema>;
