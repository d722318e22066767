/**
 * What the fuzzers send (the Workers suite's fuzz.test.ts and the validating proxy's hostile part):
 * strings of every kind as parameter values, and the query names the routes take. Arbitraries
 * only: where a fuzzer sends them and how it judges the answers stay its own.
 */
import fc from "fast-check";

/** A parameter's value: any short string, graphemes, the usual suspects, `id` (one that may exist) and `more`. */
export const fuzzText = (id: string, ...more: fc.Arbitrary<string>[]) =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.constantFrom("", "0", "-1", "1e309", "NaN", "null", "%00", "../..", "9".repeat(30), "2026-13-45", id),
    ...more,
  );

/** Query names the routes take, offered to every route (a route's own come from the served document). */
export const QUERY_NAMES = [
  "metric",
  "granularity",
  "from",
  "to",
  "by",
  "limit",
  "window",
  "cursor",
  "sort",
  "order",
  "status",
  "kind",
  "compare",
  "q",
  "category",
  "token",
];
