/**
 * Sends JSON text made by a Durable Object (see ledger/json-text.ts) as the response body: parsing
 * it only for c.json() to stringify it again is work a read does not need.
 */
import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { JsonText } from "./json-text.ts";

export function sendJsonText<T>(c: Context, text: JsonText<T>): Response & TypedResponse<JSONParsed<T>, 200, "json"> {
  const response = c.body(text, 200, { "Content-Type": "application/json" });
  // The text is JSON of T by construction (jsonText); only the response's type changes here.
  return response as unknown as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}
