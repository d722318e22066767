/**
 * JSON text that remembers, in its type, the value it encodes. A Durable Object answers a read
 * with the text (a string crosses the RPC boundary for less than the object it encodes), and the
 * API sends it as it is (src/ledger/json-response.ts) while the route's response schema still checks T.
 */
declare const encodes: unique symbol;
export type JsonText<T> = string & { readonly [encodes]?: T };

export function jsonText<T>(value: T): JsonText<T> {
  return JSON.stringify(value);
}
