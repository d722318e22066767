/**
 * Reading an ingest body: at most 1 MiB once decompressed (413 beyond, counted while streaming,
 * so neither a false Content-Length nor a small gzip bomb gets past it), plain or gzip (415 for
 * another Content-Encoding), valid UTF-8 (400 otherwise), then a JSON array or NDJSON lines.
 */
import { ApiError, badRequest } from "../http/errors.ts";

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_EVENTS = 1000;

const tooLarge = () => new ApiError(413, "payload_too_large", `The body is over ${MAX_BODY_BYTES} bytes (1 MiB)`);

/**
 * Invalid UTF-8 is refused, not decoded to U+FFFD: two ids differing only in invalid bytes
 * would become one, and the second event be dropped as a duplicate of the first.
 */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export async function readCapped(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const encoding = request.headers.get("Content-Encoding")?.trim().toLowerCase() || "identity";
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `Content-Encoding ${encoding} is not supported: send the body plain or gzip`,
    );
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > limit) throw tooLarge();
  if (!request.body) return "";
  const stream = encoding === "gzip" ? request.body.pipeThrough(new DecompressionStream("gzip")) : request.body;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch {
      throw badRequest("The body is not valid gzip");
    }
    if (read.done) break;
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw badRequest("The body is not valid UTF-8");
  }
}

/** The events of a body; `unreadable`: the NDJSON lines (by index) that are not JSON, each rejected on its own. */
export interface EventList {
  events: unknown[];
  unreadable: Map<number, string>;
}

export function parseEventList(text: string, contentType: string | undefined): EventList {
  const ndjson = /application\/(x-)?ndjson|application\/jsonl/i.test(contentType ?? "");
  let events: unknown[];
  const unreadable = new Map<number, string>();
  if (ndjson) {
    events = text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== "")
      .map((line, index) => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          unreadable.set(index, "this line is not valid JSON");
          return undefined;
        }
      });
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw badRequest(
        "The body is not valid JSON (send a JSON array, or NDJSON with Content-Type: application/x-ndjson)",
      );
    }
    if (!Array.isArray(parsed)) throw badRequest("The body must be a JSON array of events");
    events = parsed;
  }
  if (events.length === 0) throw badRequest("The body holds no events");
  if (events.length > MAX_EVENTS)
    throw badRequest(`At most ${MAX_EVENTS} events per request; this one has ${events.length}`);
  return { events, unreadable };
}
