/**
 * Paging cursors: where the next page of a list starts, as base64url JSON, opaque to callers.
 * A cursor is read back with the schema of the list that gave it; anything else is a 400.
 */
import type { z } from "zod";
import { badRequest } from "./errors.ts";

export function encodeCursor(place: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(place));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The place `text` names, if it is a cursor `schema` accepts; a 400 otherwise. */
export function decodeCursor<T>(text: string, schema: z.ZodType<T>): T {
  try {
    const bytes = Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (ch) => ch.charCodeAt(0));
    const parsed = schema.safeParse(
      JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)),
    );
    if (parsed.success) return parsed.data;
  } catch {}
  throw badRequest("cursor: not a next_cursor this endpoint gave");
}
