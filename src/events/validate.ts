/**
 * Per-event validation of an ingest request: the schema plus the rules that need context
 * (the platform's settlement currency, the clock). Valid events are kept even when others
 * in the same request are rejected; each rejection says which event and why.
 */
import type { z } from "zod";
import { EVENT_TYPES, eventSchema, MAX_FUTURE_MS, type SellerEvent } from "./schema.ts";

/**
 * An event's JSON (as sent, without whitespace) is at most this many bytes: every event then
 * fits a queue message (128 KB) with room to spare, whatever else shares it.
 */
export const MAX_EVENT_BYTES = 32 * 1024;

interface Rejection {
  index: number;
  event_id: string | null;
  errors: string[];
}

export interface Validated {
  valid: SellerEvent[];
  /** Where each valid event was in the request (valid[i] was candidate validIndexes[i]). */
  validIndexes: number[];
  rejected: Rejection[];
}

/**
 * Validates each candidate on its own. `unreadable`: the indexes of candidates that could not be
 * read at all (an NDJSON line that is not JSON, say), with why; each is rejected with that reason.
 */
export function validateEvents(
  raw: readonly unknown[],
  platformCurrency: string,
  nowMs: number,
  unreadable: ReadonlyMap<number, string> = new Map(),
): Validated {
  const valid: SellerEvent[] = [];
  const validIndexes: number[] = [];
  const rejected: Rejection[] = [];
  raw.forEach((candidate, index) => {
    const why = unreadable.get(index);
    const result = why === undefined ? validateEvent(candidate, platformCurrency, nowMs) : { errors: [why] };
    if ("event" in result) {
      valid.push(result.event);
      validIndexes.push(index);
    } else rejected.push({ index, event_id: eventIdOf(candidate), errors: result.errors });
  });
  return { valid, validIndexes, rejected };
}

/** The same judgement with the events of `sellers` rejected too, for `reason`; rejections in request order. */
export function refuseSellers(validated: Validated, sellers: ReadonlySet<string>, reason: string): Validated {
  if (sellers.size === 0) return validated;
  const kept: Validated = { valid: [], validIndexes: [], rejected: [...validated.rejected] };
  validated.valid.forEach((event, i) => {
    const index = validated.validIndexes[i]!;
    if (sellers.has(event.seller_id)) kept.rejected.push({ index, event_id: event.event_id, errors: [reason] });
    else {
      kept.valid.push(event);
      kept.validIndexes.push(index);
    }
  });
  kept.rejected.sort((a, b) => a.index - b.index);
  return kept;
}

function validateEvent(
  candidate: unknown,
  platformCurrency: string,
  nowMs: number,
): { event: SellerEvent } | { errors: string[] } {
  if (typeof candidate !== "object" || candidate === null || Array.isArray(candidate)) {
    return { errors: ["an event must be a JSON object"] };
  }
  const bytes = bytesOver(JSON.stringify(candidate), MAX_EVENT_BYTES);
  if (bytes !== null) {
    return { errors: [`the event is ${bytes} bytes as JSON; an event is at most ${MAX_EVENT_BYTES} bytes (32 KiB)`] };
  }
  const type = (candidate as { type?: unknown }).type;
  if (typeof type !== "string" || !(EVENT_TYPES as string[]).includes(type)) {
    return { errors: [`type: must be one of ${EVENT_TYPES.join(", ")}`] };
  }
  const parsed = eventSchema.safeParse(candidate);
  if (!parsed.success) return { errors: describeIssues(parsed.error.issues) };
  const event = parsed.data;
  const errors: string[] = [];
  if (Date.parse(event.occurred_at) > nowMs + MAX_FUTURE_MS) {
    errors.push("occurred_at: more than 5 minutes in the future");
  }
  if ("currency" in event && event.currency !== platformCurrency) {
    errors.push(`currency: this platform settles in ${platformCurrency}, not ${event.currency}`);
  }
  return errors.length > 0 ? { errors } : { event };
}

export function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

function eventIdOf(candidate: unknown): string | null {
  const eventId = (candidate as { event_id?: unknown } | null)?.event_id;
  return typeof eventId === "string" ? eventId : null;
}

const encoder = new TextEncoder();
/** The UTF-8 size of a text over `cap` bytes; null within it (not encoded when it cannot be over: 3 bytes per UTF-16 unit at most). */
function bytesOver(text: string, cap: number): number | null {
  if (text.length * 3 <= cap) return null;
  const bytes = encoder.encode(text).byteLength;
  return bytes > cap ? bytes : null;
}
