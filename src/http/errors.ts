/**
 * The error envelope: every error a caller sees is `{ error: { code, message, details? } }`
 * with the right status. Handlers throw ApiError; app.onError renders it. Anything else that
 * is thrown becomes a plain 500: no stack trace, SQL or internal name reaches a caller.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AllowanceName } from "../db/allowances.ts";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new ApiError(400, "invalid_request", message, details);
export const unauthorized = (message = "A valid platform key or session token is required") =>
  new ApiError(401, "unauthorized", message, undefined, { "WWW-Authenticate": "Bearer" });
export const forbidden = (message: string) => new ApiError(403, "forbidden", message);
/** A count allowance used up (imports at once, webhooks...): 409 limit_reached, naming it. */
export const limitReached = (name: AllowanceName, limit: number, message: string) =>
  new ApiError(409, "limit_reached", message, { allowance: name, limit });
/**
 * A setting this service refuses to run with (a weak secret, a missing address): why goes to the
 * log with the fix, the caller gets a 500 that names no secret and says what is unavailable.
 */
export function misconfigured(logLine: string, message: string): ApiError {
  console.error(logLine);
  return new ApiError(500, "misconfigured", message);
}
/** How long a caller is asked to wait when storage (or a queue) cannot answer. */
const UNAVAILABLE_RETRY_SECONDS = 5;
export const unavailable = (
  message = "The service cannot reach its storage right now; please retry shortly",
  details?: unknown,
) => new ApiError(503, "unavailable", message, details, { "Retry-After": String(UNAVAILABLE_RETRY_SECONDS) });

/**
 * Errors of D1 that say it cannot answer now (a lost connection, an overload, a reset), as
 * opposed to a mistake in a query: the caller is told to retry (503), not that we failed (500).
 */
const D1_UNAVAILABLE =
  /D1.*(network connection lost|overloaded|timed? ?out|reset|unavailable|too many requests|internal error)/i;
const isStorageUnavailable = (error: unknown) => error instanceof Error && D1_UNAVAILABLE.test(error.message);

export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof ApiError) {
    const body = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
    return c.json(body, error.status, error.headers);
  }
  if (isStorageUnavailable(error)) {
    console.error("storage unavailable", error);
    return errorResponse(c, unavailable());
  }
  console.error("unhandled error", error);
  return c.json({ error: { code: "internal", message: "Something went wrong on our side; please retry" } }, 500);
}
