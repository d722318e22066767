/**
 * The bare pipeline: the shape of the app's ingest path with none of its features, as the
 * speed issue describes it (post, 400-event messages, one RPC per seller per batch, SQLite
 * dedupe). `npm run bench` (part bare) runs the app's scenarios through it, posted and checked
 * the same way, so the app's figures can be set beside the floor this runtime allows here.
 *
 * POST /v1/events        a JSON array of events (each with event_id and seller_id): 202 { accepted }
 * GET  /v1/sellers/:id   { events }: how many distinct events that seller's object has stored
 *
 * No key, no validation beyond those two fields, no counters, no flush: not for anything but
 * the benchmark.
 */
import { DurableObject } from "cloudflare:workers";

const EVENTS_PER_MESSAGE = 400;
/**
 * A message also ends before 120 KB (the limit is 128 KB): 400 of the simulator's events are
 * 120–134 KB in its busier histories, and an oversized message fails the whole post.
 */
const MESSAGE_BYTES = 120_000;
/** Messages per sendBatch: two stay under its 256 KB; three can exceed it. */
const MESSAGES_PER_SEND = 2;

interface BareEvent {
  event_id: string;
  seller_id: string;
}

/** Declared here: `wrangler types` for this config would declare a second global Env beside the app's. */
interface BareEnv {
  EVENTS: Queue<BareEvent[]>;
  SELLER: DurableObjectNamespace<BareSeller>;
  /** "1": each request, batch and object call logs its billed units, as the app's do (npm run bench:bill). */
  METER?: string;
}

/** A queue operation per 64 KB (of 1,000 bytes) of a message, ~100 bytes of it metadata. */
const opsOf = (body: unknown) => Math.max(1, Math.ceil((JSON.stringify(body).length + 100) / 64_000));
const logUnits = (env: BareEnv, kind: string, units: Record<string, number>) => {
  if (env.METER === "1") console.log(JSON.stringify({ kind, units }));
};

/** One per seller: every event id it was given, stored once (the SQLite dedupe). */
export class BareSeller extends DurableObject<BareEnv> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: BareEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY) WITHOUT ROWID");
  }

  add(eventIds: string[]): void {
    const cursor = this.sql.exec(
      "INSERT INTO seen (key) SELECT value FROM json_each(?) WHERE true ON CONFLICT DO NOTHING",
      JSON.stringify(eventIds),
    );
    logUnits(this.env, "ledger", { sql_rows_read: cursor.rowsRead, sql_rows_written: cursor.rowsWritten });
  }

  count(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM seen").one().n;
  }
}

function isBareEvent(value: unknown): value is BareEvent {
  const event = value as Partial<BareEvent> | null;
  return typeof event?.event_id === "string" && typeof event.seller_id === "string";
}

/** Events in order, at most EVENTS_PER_MESSAGE and MESSAGE_BYTES (of JSON) per message. */
function packMessages(events: BareEvent[]): MessageSendRequest<BareEvent[]>[] {
  const messages: MessageSendRequest<BareEvent[]>[] = [];
  let body: BareEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = JSON.stringify(event).length + 1;
    if (body.length === EVENTS_PER_MESSAGE || (body.length > 0 && bytes + size > MESSAGE_BYTES)) {
      messages.push({ body });
      [body, bytes] = [[], 0];
    }
    body.push(event);
    bytes += size;
  }
  if (body.length > 0) messages.push({ body });
  return messages;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/v1/events") {
      const events: unknown = await request.json();
      if (!Array.isArray(events) || !events.every(isBareEvent))
        return Response.json({ error: "a JSON array of events" }, { status: 400 });
      const messages = packMessages(events);
      for (let i = 0; i < messages.length; i += MESSAGES_PER_SEND)
        await env.EVENTS.sendBatch(messages.slice(i, i + MESSAGES_PER_SEND));
      const ops = messages.reduce((n, m) => n + opsOf(m.body), 0);
      logUnits(env, "request", { requests: 1, queue_ops: ops });
      return Response.json({ accepted: events.length }, { status: 202 });
    }
    const seller = url.pathname.match(/^\/v1\/sellers\/([^/]+)$/)?.[1];
    if (request.method === "GET" && seller) {
      return Response.json({ events: await env.SELLER.getByName(decodeURIComponent(seller)).count() });
    }
    return Response.json({ error: "not found" }, { status: 404 });
  },

  async queue(batch, env) {
    const bySeller = new Map<string, string[]>();
    for (const message of batch.messages) {
      for (const event of message.body) {
        const ids = bySeller.get(event.seller_id);
        if (ids) ids.push(event.event_id);
        else bySeller.set(event.seller_id, [event.event_id]);
      }
    }
    // One call per seller per batch; a failure throws, and the whole batch is delivered again.
    let callMs = 0;
    await Promise.all(
      [...bySeller].map(async ([seller, ids]) => {
        const started = Date.now();
        await env.SELLER.getByName(seller).add(ids);
        callMs += Date.now() - started;
      }),
    );
    const ops = batch.messages.reduce((n, m) => n + 2 * opsOf(m.body), 0); // each message read and deleted
    logUnits(env, "batch", { requests: 1, queue_ops: ops, do_requests: bySeller.size, do_ms: callMs });
  },
} satisfies ExportedHandler<BareEnv, BareEvent[]>;
