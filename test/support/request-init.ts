/**
 * A test's request as a caller sends it: its credential as a bearer token and a JSON body as
 * JSON, for requests to the Worker in process and through the proxy alike. Builds, never sends.
 */

export interface RequestParts<B> {
  headers?: HeadersInit;
  token?: string;
  json?: unknown;
  body?: B;
}

/** The headers (Authorization, Content-Type for JSON) and the body of `init`. */
export function headersAndBody<B>(init: RequestParts<B>): { headers: Headers; body: B | string | undefined } {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  if (init.json === undefined) return { headers, body: init.body };
  headers.set("Content-Type", "application/json");
  return { headers, body: JSON.stringify(init.json) };
}
