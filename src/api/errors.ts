/**
 * The error envelope: every error a caller sees is `{ error: { code, message, details? } }`
 * with the right status. Handlers throw ApiError; app.onError renders it. Anything else that
 * is thrown becomes a plain 500: no stack trace, SQL or internal name reaches a caller.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

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
  console.error("unhandled error", error);
  return c.json({ error: { code: "internal", message: "Something went wrong on our side; please retry" } }, 500);
}
