/**
 * What every route's OpenAPI description shares: the error envelope, the JSON content of an answer,
 * and the error answers every authenticated route may give. Each answer's own shape is defined
 * beside what makes it (the summary in src/metrics/summary.ts, an alert in src/alerts/alert-types.ts).
 */
import { z } from "@hono/zod-openapi";
import type { Answer } from "../answers.ts";

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi("Error");

/** A JSON answer: its schema, what it means, and an example as the API would send it for the `demo` platform. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string, example?: unknown) => ({
  description,
  content: { "application/json": { schema, ...(example === undefined ? {} : { example }) } },
});

/** A page of a list: its items under `key`, and the cursor of the next page (null on the last). */
export const pageSchema = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.object({ [key]: z.array(item), next_cursor: z.string().nullable() } as Record<K, z.ZodArray<T>> & {
    next_cursor: z.ZodNullable<z.ZodString>;
  });

export const errorResponses = {
  400: jsonContent(errorSchema, "Invalid parameters"),
  401: jsonContent(errorSchema, "Missing or invalid credentials"),
  403: jsonContent(errorSchema, "The credentials do not reach this resource"),
} as const;

/**
 * The responses of errors a route's handler throws itself (what its middleware answers is derived,
 * http/answers.ts): each with its description and the error as thrown for its example.
 */
export function errorAnswers(...given: Answer[]) {
  return Object.fromEntries(
    given.map(({ error, when }) => [
      error.status,
      jsonContent(errorSchema, when, { error: { code: error.code, message: error.message } }),
    ]),
  );
}
