/** Turns a failed zod validation of path or query parameters into the 400 error envelope. */
import type { OpenAPIHonoOptions } from "@hono/zod-openapi";
import { describeIssues } from "../events/validate.ts";
import type { AppEnv } from "./authenticate.ts";
import { badRequest } from "./errors.ts";

export const validationHook: NonNullable<OpenAPIHonoOptions<AppEnv>["defaultHook"]> = (result) => {
  if (!result.success) throw badRequest("Invalid parameters", { errors: describeIssues(result.error.issues) });
};
