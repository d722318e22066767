/**
 * Page cursors: where a page ended, as base64url of its JSON (UTF-8, so any id survives), and
 * read back through a zod schema. A cursor is opaque to callers; one this API did not give is 400.
 */
import type { z } from "zod";
import { badRequest } from "./errors.ts";

export function encodeCursor(position: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(position));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor<T>(text: string, schema: z.ZodType<T>): T {
  try {
    const bytes = Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (ch) => ch.charCodeAt(0));
    const parsed = schema.safeParse(
      JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)),
    );
    if (parsed.success) return parsed.data;
  } catch {
    // not base64url, not UTF-8 or not JSON: refused below
  }
  throw badRequest("cursor: not a next_cursor this endpoint gave");
}
