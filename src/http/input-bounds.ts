/**
 * The bounds every request meets before any route reads it: each path segment and each query
 * value has a length, and a query a number of parameters, over which the answer is 400. Each
 * route's own schemas bound its parameters tighter; this catches what no schema names (an
 * unknown query parameter, a path no route matches) and keeps a huge value from reaching a
 * cache, KV or D1 key. Never reads a body (the routes bound theirs by bytes).
 */
import { createMiddleware } from "hono/factory";
import { answer, answers } from "./answers.ts";
import type { AppEnv } from "./authenticate.ts";
import { badRequest } from "./errors.ts";

/** A 128-character seller id of 4-byte characters, percent-encoded, is 1,536. */
const MAX_SEGMENT_CHARS = 2048;
/** A session token (?token= on the live socket) is at most 2,048; cursors are shorter. */
const MAX_QUERY_VALUE_CHARS = 4096;
const MAX_QUERY_PARAMS = 32;

export const inputBounds = answers(
  createMiddleware<AppEnv>(async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.split("/").some((segment) => segment.length > MAX_SEGMENT_CHARS)) {
      throw badRequest(`A path segment is at most ${MAX_SEGMENT_CHARS} characters`);
    }
    let count = 0;
    for (const [name, value] of url.searchParams) {
      if (++count > MAX_QUERY_PARAMS) throw badRequest(`A query has at most ${MAX_QUERY_PARAMS} parameters`);
      if (name.length > MAX_QUERY_VALUE_CHARS || value.length > MAX_QUERY_VALUE_CHARS) {
        throw badRequest(`A query value is at most ${MAX_QUERY_VALUE_CHARS} characters`);
      }
    }
    await next();
  }),
  answer(
    "A path segment or query value past its bound",
    badRequest(`A query value is at most ${MAX_QUERY_VALUE_CHARS} characters`),
  ),
);
