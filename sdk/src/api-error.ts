/**
 * What a typed read throws when the API answers an error: the status and the error envelope's
 * `code`, `message` and `details` (docs/semantics.md, "Errors"), so callers branch on `code`, not on text.
 */

export class SellerPulseError extends Error {
  override readonly name = "SellerPulseError";
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, body: unknown) {
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    super(typeof error?.message === "string" ? error.message : `HTTP ${status}`);
    this.status = status;
    this.code = typeof error?.code === "string" ? error.code : "http_error";
    this.details = error?.details;
  }
}

/** openapi-fetch's answer as its data, or a SellerPulseError for any status that is not 2xx or 304. */
export async function dataOf<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok && response.status !== 304) throw new SellerPulseError(response.status, error);
  return data as T;
}
