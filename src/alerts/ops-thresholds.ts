/**
 * GET and PUT /v1/ops/thresholds: the platform's alert thresholds, read by the operator and
 * replaced whole. A change is audited with what it changed, and handed to every ledger of the
 * platform (src/alerts/thresholds-job.ts), which judges its seller by it within minutes.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { actorOf } from "../auth/principal.ts";
import { auditStatement } from "../db/audit.ts";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { ApiError } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { sendJobs } from "../queues/job-messages.ts";
import { platformThresholds, setThresholdsStatement } from "./platform-thresholds.ts";
import { describeChanges, fromWire, thresholdsWireSchema, toWire } from "./thresholds-wire.ts";

const requestSchema = z.object(thresholdsWireSchema.shape).strict().openapi("Thresholds");
const answerSchema = z
  .object({
    ...thresholdsWireSchema.shape,
    updated_at: z.string().nullable().describe("when the platform last set them; null: the defaults"),
  })
  .openapi("PlatformThresholds");

/** A thresholds body is a few hundred bytes. */
const MAX_BODY_BYTES = 4 * 1024;

export const opsThresholds = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
opsThresholds.use("/thresholds", authenticate, operatorAccess);

opsThresholds.openapi(
  createRoute({
    method: "get",
    path: "/thresholds",
    summary: "The platform's alert thresholds (the defaults until it sets its own)",
    ...operation("getThresholds", "Operator", OPERATOR),
    responses: { 200: jsonContent(answerSchema, "The thresholds", ex.THRESHOLDS), ...errorResponses },
  }),
  async (c) => {
    const { thresholds, updatedAt } = await platformThresholds(c.env.DB, c.get("principal").platform.id);
    return c.json({ ...toWire(thresholds), updated_at: updatedAt }, 200);
  },
);

opsThresholds.openapi(
  createRoute({
    method: "put",
    path: "/thresholds",
    summary: "Replace the platform's alert thresholds; every ledger judges by them within 5 minutes",
    ...operation("setThresholds", "Operator", OPERATOR),
    middleware: [
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: () => {
          throw new ApiError(413, "payload_too_large", `A thresholds body is at most ${MAX_BODY_BYTES} bytes`);
        },
      }),
    ],
    request: {
      body: {
        content: { "application/json": { schema: requestSchema, example: ex.THRESHOLDS_REQUEST } },
        required: true,
      },
    },
    responses: { 200: jsonContent(answerSchema, "The thresholds now in force", ex.THRESHOLDS), ...errorResponses },
  }),
  async (c) => {
    const principal = c.get("principal");
    const platform = principal.platform.id;
    const next = fromWire(c.req.valid("json"));
    const { thresholds: before } = await platformThresholds(c.env.DB, platform);
    const now = new Date().toISOString();
    await c.env.DB.batch([
      setThresholdsStatement(c.env.DB, platform, next, now),
      auditStatement(c.env.DB, platform, actorOf(principal), "thresholds.changed", describeChanges(before, next)),
    ]);
    await sendJobs(c.env.JOBS, [{ job: "thresholds.apply", platform }]);
    return c.json({ ...toWire(next), updated_at: now }, 200);
  },
);
