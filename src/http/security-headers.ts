/**
 * The headers every /v1 answer carries (app.ts sets them; the public rankings' answers from the
 * isolate's memory or the Workers Cache, which never reach the app, carry them too).
 */
export const SECURITY_HEADERS = {
  // A browser takes a body for the type it is sent as, never guesses another.
  "X-Content-Type-Options": "nosniff",
  // Once over HTTPS, a browser reaches the API over HTTPS only, for a year.
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
} as const;
