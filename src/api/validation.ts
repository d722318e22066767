/** Turns a failed zod validation of path or query parameters into the 400 error envelope. */
import type { Hook } from "@hono/zod-openapi";
import { describeIssues } from "../events/validate.ts";
import { badRequest } from "./errors.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) throw badRequest("Invalid parameters", { errors: describeIssues(result.error.issues) });
};
