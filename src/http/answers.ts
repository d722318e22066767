/**
 * The error answers a middleware can give, declared where the middleware is made: the OpenAPI
 * document (openapi/document.ts) lists them on every operation whose chain runs it, read from the
 * app's own routes, so a route never lists by hand what its guards answer. A declaration only
 * describes; it never changes what the middleware does.
 */
import type { ApiError } from "./errors.ts";

/** One error a middleware may answer: the error as it is thrown (its status, code, headers) and when. */
export interface Answer {
  error: ApiError;
  when: string;
}

const declared = new WeakMap<object, readonly Answer[]>();

export const answer = (when: string, error: ApiError): Answer => ({ error, when });

/** The middleware itself, with the answers it may give recorded for the document. */
export function answers<M extends object>(middleware: M, ...given: Answer[]): M {
  declared.set(middleware, [...(declared.get(middleware) ?? []), ...given]);
  return middleware;
}

/** What a handler of a route's chain declared (nothing for one that declared nothing). */
export const answersOf = (handler: unknown): readonly Answer[] =>
  (typeof handler === "function" && declared.get(handler)) || [];
