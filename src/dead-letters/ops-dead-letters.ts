/**
 * The operator's dead letters: queue messages that failed every retry (recorded by
 * src/dead-letters/record.ts), and replaying one, which sends its body again to the queue it failed
 * on. The platform's own dead letters only; one that names no platform is shown to none.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { actorOf } from "../auth/principal.ts";
import { auditStatement } from "../db/audit.ts";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { ApiError, unavailable } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, errorSchema, jsonContent, pageSchema } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { queueOf, replayDeadLetters, sourceOf } from "./replay.ts";

const deadLetterSchema = z
  .object({
    id: z.int(),
    queue: z.string().describe("the queue the message failed on, which a replay sends it to again"),
    dead_letter_queue: z.string(),
    body: z.string().describe("the message's body, as JSON text"),
    received_at: z.string().describe("when the message reached the dead-letter queue"),
    error: z.string().nullable().describe("why its queue could not take it, when the body shows it"),
    replayed_at: z.string().nullable(),
  })
  .openapi("DeadLetter");

export const opsDeadLetters = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// One pattern: "/dead-letters/*" matches "/dead-letters" too (a second would count every call twice).
opsDeadLetters.use("/dead-letters/*", authenticate, operatorAccess);

type Row = Omit<z.infer<typeof deadLetterSchema>, "queue" | "dead_letter_queue"> & { queue: string };

opsDeadLetters.openapi(
  createRoute({
    method: "get",
    path: "/dead-letters",
    summary: "Queue messages that failed every retry (open: not replayed yet), newest first",
    ...operation("listDeadLetters", "Operator", OPERATOR),
    request: {
      query: z.object({
        status: z.enum(["open", "replayed", "all"]).default("open"),
        // A body can be 128 KB (a queue message's most): a page stays under 13 MB.
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: z.coerce
          .number()
          .int()
          .min(1)
          .max(Number.MAX_SAFE_INTEGER)
          .optional()
          .describe("next_cursor of the page before"),
      }),
    },
    responses: {
      200: jsonContent(pageSchema("dead_letters", deadLetterSchema), "The dead letters", ex.DEAD_LETTERS),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { status, limit, cursor } = c.req.valid("query");
    const replayed = { open: "AND replayed_at IS NULL", replayed: "AND replayed_at IS NOT NULL", all: "" }[status];
    const { results } = await c.env.DB.prepare(
      `SELECT id, queue, body, received_at, error, replayed_at FROM dead_letters
       WHERE platform_id = ?1 AND id < ?2 ${replayed} ORDER BY id DESC LIMIT ?3`,
    )
      .bind(platform.id, cursor ?? Number.MAX_SAFE_INTEGER, limit + 1)
      .all<Row>();
    const page = results.slice(0, limit);
    return c.json(
      {
        dead_letters: page.map((r) => ({ ...r, queue: sourceOf(r.queue), dead_letter_queue: r.queue })),
        next_cursor: results.length > limit ? String(page.at(-1)!.id) : null,
      },
      200,
    );
  },
);

const replayFilter = z
  .object({
    queue: z
      .string()
      .max(128)
      .optional()
      .describe("only those that failed on this queue (as listed: sellerpulse-events, -jobs, -webhooks)"),
    received_from: z.iso.datetime({ offset: true }).max(64).optional().describe("only those received at or after"),
    received_to: z.iso.datetime({ offset: true }).max(64).optional().describe("only those received before"),
    ids: z.array(z.int().min(1).max(Number.MAX_SAFE_INTEGER)).min(1).max(500).optional().describe("only these"),
    all: z.literal(true).optional().describe("every open one (when nothing else is named)"),
    limit: z.int().min(1).max(500).default(100).describe("at most this many in this call, oldest first"),
  })
  .strict()
  // An empty body replays nothing: every open one is asked for by name, never by accident.
  .refine((f) => f.all || f.queue || f.received_from || f.received_to || f.ids, {
    message: 'name what to replay: queue, received_from, received_to, ids, or "all": true',
  })
  .openapi({
    anyOf: ["queue", "received_from", "received_to", "ids", "all"].map((name) => ({ required: [name] })),
  });

const replayedSchema = z.object({
  replayed: z.int(),
  ids: z.array(z.int()).describe("the dead letters sent again by this call"),
  more: z.boolean().describe("open dead letters matching the filter remain: call again"),
});

opsDeadLetters.openapi(
  createRoute({
    method: "post",
    path: "/dead-letters/replay",
    summary:
      "Send the open dead letters a filter names (all, if none) again to their queues, oldest first; a second call takes the next ones, never the same",
    ...operation("replayDeadLetters", "Operator", OPERATOR),
    request: {
      body: {
        content: { "application/json": { schema: replayFilter, example: ex.DEAD_LETTERS_FILTER } },
        required: true,
      },
    },
    responses: {
      200: jsonContent(replayedSchema, "None is open that the filter names: nothing was sent", ex.NONE_REPLAYED),
      202: jsonContent(replayedSchema, "Back on their queues", ex.DEAD_LETTERS_REPLAYED),
      ...errorResponses,
      503: jsonContent(errorSchema, "None could be sent (the queue refused): they are still open"),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const body = c.req.valid("json");
    const iso = (t: string | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
    const filter = {
      queue: body.queue,
      receivedFrom: iso(body.received_from),
      receivedTo: iso(body.received_to),
      ids: body.ids,
    };
    const { ids, more } = await replayDeadLetters(c.env, principal.platform.id, filter, body.limit);
    if (ids.length > 0) {
      const subject = `${ids.length} (${ids[0]}..${ids.at(-1)})`;
      await auditStatement(c.env.DB, principal.platform.id, actorOf(principal), "dead_letters.replayed", subject).run();
    }
    return ids.length > 0 ? c.json({ replayed: ids.length, ids, more }, 202) : c.json({ replayed: 0, ids, more }, 200);
  },
);

opsDeadLetters.openapi(
  createRoute({
    method: "post",
    path: "/dead-letters/{id}/replay",
    summary: "Send a dead letter's body again to the queue it failed on (events are deduplicated: safe)",
    ...operation("replayDeadLetter", "Operator", OPERATOR),
    request: {
      params: z.object({
        id: z.coerce
          .number()
          .int()
          .min(1)
          .max(Number.MAX_SAFE_INTEGER)
          .openapi({ param: { example: ex.DEAD_LETTER_REPLAYED.id } }),
      }),
    },
    responses: {
      202: jsonContent(
        z.object({ id: z.int(), queue: z.string(), replayed_at: z.string() }),
        "Back on its queue",
        ex.DEAD_LETTER_REPLAYED,
      ),
      404: jsonContent(errorSchema, "No such dead letter"),
      409: jsonContent(errorSchema, "Replayed already", ex.DEAD_LETTER_REPLAYED_ALREADY),
      ...errorResponses,
      503: jsonContent(errorSchema, "It could not be sent (the queue refused): it is still open"),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const { id } = c.req.valid("param");
    const replayedAt = new Date().toISOString();
    // Claimed first, so that two replays at once send it once; given back if the send fails.
    const claimed = await c.env.DB.prepare(
      `UPDATE dead_letters SET replayed_at = ?3 WHERE id = ?1 AND platform_id = ?2 AND replayed_at IS NULL
       RETURNING queue, body`,
    )
      .bind(id, principal.platform.id, replayedAt)
      .first<{ queue: string; body: string }>();
    if (!claimed) {
      const row = await c.env.DB.prepare("SELECT replayed_at FROM dead_letters WHERE id = ? AND platform_id = ?")
        .bind(id, principal.platform.id)
        .first<{ replayed_at: string }>();
      if (!row) throw new ApiError(404, "not_found", "No such dead letter");
      throw new ApiError(409, "already_replayed", `The dead letter was replayed at ${row.replayed_at}`);
    }
    const queue = sourceOf(claimed.queue);
    try {
      await queueOf(c.env, queue).send(JSON.parse(claimed.body), { contentType: "json" });
    } catch (error) {
      console.error("dead letter not sent again; given back", id, error);
      await c.env.DB.prepare("UPDATE dead_letters SET replayed_at = NULL WHERE id = ? AND replayed_at = ?")
        .bind(id, replayedAt)
        .run();
      throw unavailable("The dead letter could not be sent again; it is still open");
    }
    await auditStatement(c.env.DB, principal.platform.id, actorOf(principal), "dead_letter.replayed", String(id)).run();
    return c.json({ id, queue, replayed_at: replayedAt }, 202);
  },
);
