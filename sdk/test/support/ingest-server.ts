/**
 * A stand-in for POST /v1/events on a real node:http port: it decompresses gzip, holds the
 * contract's limits (1 MiB decompressed: 413; over 1,000 events: 400), and answers from a script
 * (429, 503, a dropped connection, a hang) before the contract's 202/400. It records everything.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** Bytes on the wire, and once decompressed (what the 1 MiB limit counts). */
  wireBytes: number;
  bytes: number;
  /** The events, when the body was a JSON array within the limits. */
  events: Record<string, unknown>[];
}

/** A scripted answer: a status (with headers), or a connection closed without one, or no answer at all. */
export type Scripted = { status: number; headers?: Record<string, string>; body?: unknown } | "drop" | "hang";

export interface IngestServerOptions {
  /** Answers for the first requests, in order; later requests get the contract's answer. */
  script?: Scripted[];
  /** Decompressed bytes beyond which a request is 413 (default 1 MiB, the contract's). */
  maxBytes?: number;
  /** Why an event is invalid (the API keeps valid ones and lists invalid ones); none by default. */
  invalid?: (event: Record<string, unknown>) => string | undefined;
  /** Chooses an answer per request instead of (after) the script: random failures, say. */
  choose?: (request: ReceivedRequest) => Scripted | undefined;
}

export interface IngestServer {
  url: string;
  requests: ReceivedRequest[];
  /** The events of every 202, less those it rejected, in arrival order: what the app would have queued. */
  accepted: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startIngestServer(options: IngestServerOptions = {}): Promise<IngestServer> {
  const script = [...(options.script ?? [])];
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const requests: ReceivedRequest[] = [];
  const accepted: Record<string, unknown>[] = [];

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const wire = Buffer.concat(chunks);
    const text = req.headers["content-encoding"] === "gzip" ? gunzipSync(wire) : wire;
    const received: ReceivedRequest = { headers: req.headers, wireBytes: wire.length, bytes: text.length, events: [] };
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, message: string, details?: unknown) =>
      reply(status, { error: { code: "test", message, ...(details ? { details } : {}) } });

    if (text.length > maxBytes) {
      requests.push(received);
      return fail(413, `The body is over ${maxBytes} bytes`);
    }
    const events = JSON.parse(text.toString("utf8")) as Record<string, unknown>[];
    received.events = events;
    requests.push(received);

    const scripted = script.shift() ?? options.choose?.(received);
    if (scripted === "drop") return req.socket.destroy();
    if (scripted === "hang") return;
    if (scripted)
      return reply(
        scripted.status,
        scripted.body ?? { error: { code: "test", message: "scripted" } },
        scripted.headers,
      );

    if (events.length > 1000) return fail(400, `At most 1000 events per request; this one has ${events.length}`);
    const rejected = events.flatMap((event, index) => {
      const why = options.invalid?.(event);
      return why ? [{ index, event_id: (event.event_id as string) ?? null, errors: [why] }] : [];
    });
    if (rejected.length === events.length) return fail(400, "No event in the request is valid", { rejected });
    const refused = new Set(rejected.map((r) => r.index));
    accepted.push(...events.filter((_, index) => !refused.has(index)));
    reply(202, { accepted: events.length - rejected.length, rejected });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
