/**
 * The error statuses an operation answers because of how it is served, derived for the document
 * rather than listed by hand: what each middleware of its chain declared (http/answers.ts), 400 for
 * parameters or a body that fail their schema, 415 for a body in a media type or encoding it does not
 * take. Reads the app's route table; never changes a route.
 */
import { type Answer, answer, answersOf } from "../answers.ts";
import { ApiError, badRequest } from "../errors.ts";

/** One entry of the app's route table (Hono's `app.routes`): `use()` middleware has method ALL. */
export interface RouteEntry {
  method: string;
  path: string;
  handler: unknown;
}

const INVALID = answer("A parameter or the body fails its schema", badRequest("Invalid parameters"));
const UNSUPPORTED = answer(
  "A body in a media type or Content-Encoding this operation does not take",
  new ApiError(415, "unsupported_media_type", "Unsupported Media Type"),
);

/** Hono's path pattern (`:id`, `*`) as a test of a path. */
function patternTest(pattern: string): RegExp {
  const escaped = pattern
    .split(/(:\w+|\/\*$|\*)/)
    .map((part) => {
      if (part.startsWith(":")) return "[^/]+";
      if (part === "/*") return "(?:/.*)?";
      if (part === "*") return ".*";
      return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${escaped}$`);
}

/**
 * The handlers that run for `METHOD /path` (the document's form, `{id}`), in order: every middleware
 * registered before the route's own handler whose pattern covers the path, then the route's own.
 */
function chainOf(routes: readonly RouteEntry[], method: string, path: string): unknown[] {
  const honoPath = path.replace(/\{(\w+)\}/g, ":$1");
  const sample = path.replace(/\{\w+\}/g, "x");
  let last = -1;
  routes.forEach((r, i) => {
    if (r.method === method && r.path === honoPath) last = i;
  });
  return routes
    .slice(0, last + 1)
    .filter((r) => (r.method === "ALL" || r.method === method) && patternTest(r.path).test(sample))
    .map((r) => r.handler);
}

/** Every error an operation answers by its chain and its request's shape, by status. */
export function derivedAnswers(
  routes: readonly RouteEntry[],
  method: string,
  path: string,
  operation: { parameters?: unknown[]; requestBody?: unknown },
): Map<number, Answer[]> {
  // A middleware that several sub-apps mounted on one prefix each register runs once per
  // registration; it still answers what it answers once.
  const found = [...new Set(chainOf(routes, method, path))].flatMap(answersOf);
  if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody) found.push(INVALID);
  if (operation.requestBody) found.push(UNSUPPORTED);
  const byStatus = new Map<number, Answer[]>();
  for (const a of found) byStatus.set(a.error.status, [...(byStatus.get(a.error.status) ?? []), a]);
  return byStatus;
}
