/**
 * POST /v1/events: a platform's events in, validated one by one, queued durably.
 * 202 once every valid event is on the queue (nothing acknowledged is ever lost); the
 * invalid ones are listed in `rejected`. With no valid event at all, 400 and the same list.
 */

import { OpenAPIHono, z } from "@hono/zod-openapi";
import { eventSchema } from "../events/schema.ts";
import { validateEvents } from "../events/validate.ts";
import { type AppEnv, authenticateUncounted, requirePlatformKey } from "../http/authenticate.ts";
import { badRequest } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, PLATFORM } from "../http/openapi/operations.ts";
import { errorSchema } from "../http/openapi/schemas.ts";
import { MIN_INGEST_UNITS, spendRate } from "../http/rate-limits.ts";
import { withinSellerQuota } from "../limits/seller-quota.ts";
import { MAX_BODY_BYTES, parseEventList, readCapped } from "./ingest-body.ts";
import { enqueueEvents } from "./producer.ts";

const rejectionSchema = z.object({ index: z.int(), event_id: z.string().nullable(), errors: z.array(z.string()) });
const ingestResponseSchema = z.object({ accepted: z.int(), rejected: z.array(rejectionSchema) });

/** An NDJSON body of events, as POST /v1/events and POST /v1/imports take it. */
/** An NDJSON body of events of at most `maxBytes` (a character is at least a byte: the bound holds for characters too). */
export const ndjsonEvents = (maxBytes: number) => ({
  schema: z.string().max(maxBytes).describe("one event per line"),
  example: ex.EVENTS_NDJSON,
});

export const ingest = new OpenAPIHono<AppEnv>();
// Counted here by events, not by the call.
ingest.use("*", authenticateUncounted);

ingest.openAPIRegistry.registerPath({
  method: "post",
  path: "/", // mounted at /v1/events
  summary: "Post up to 1,000 events (JSON array or NDJSON, plain or gzip, at most 1 MiB decompressed)",
  ...operation("ingestEvents", "Events", PLATFORM),
  request: {
    body: {
      content: {
        "application/json": { schema: z.array(eventSchema).min(1).max(1000), example: ex.INGEST_JSON },
        "application/x-ndjson": ndjsonEvents(MAX_BODY_BYTES),
      },
    },
  },
  responses: {
    202: {
      description: "Every valid event is durably queued",
      content: { "application/json": { schema: ingestResponseSchema, example: ex.INGEST_ACCEPTED } },
    },
    400: {
      description: "Not JSON/NDJSON, not an array, empty, over 1,000 events, or no valid event",
      content: { "application/json": { schema: errorSchema, example: ex.INGEST_NONE_VALID } },
    },
    401: { description: "Missing, wrong or revoked key", content: { "application/json": { schema: errorSchema } } },
    403: {
      description: "A session token, not a platform key",
      content: { "application/json": { schema: errorSchema } },
    },
    413: { description: "Over 1 MiB (decompressed)", content: { "application/json": { schema: errorSchema } } },
    429: {
      description:
        "Over the platform's ingest_events_per_10s allowance (200,000 by default; a request counts as at least 100 events, and imports count too): see Retry-After",
      content: { "application/json": { schema: errorSchema } },
    },
  },
});

ingest.post("/", async (c) => {
  const platform = requirePlatformKey(c.get("principal"));
  // A request pays for MIN_INGEST_UNITS events before its body is read (an empty or unreadable one
  // too), and for each event beyond them once they are counted.
  const key = `platform:${platform.id}`;
  await spendRate(c.env, "ingest", platform.id, key, MIN_INGEST_UNITS);
  const { events, unreadable } = parseEventList(await readCapped(c.req.raw), c.req.header("Content-Type"));
  await spendRate(c.env, "ingest", platform.id, key, events.length - MIN_INGEST_UNITS);
  const judged = validateEvents(events, platform.currency, Date.now(), unreadable);
  const { valid, rejected } = await withinSellerQuota(c.env.DB, platform.id, judged);
  c.set("ingested", { accepted: 0, rejected: rejected.length });
  if (valid.length === 0) throw badRequest("No event in the request is valid", { rejected });
  await enqueueEvents(c.env.EVENTS, platform, valid);
  c.set("ingested", { accepted: valid.length, rejected: rejected.length });
  return c.json({ accepted: valid.length, rejected }, 202);
});
