/**
 * Rebuilding a seller from the event archive (src/archive/rebuild.ts): start one, then follow it
 * until it says whether the rebuilt summary equals the live one. The operator's or the platform
 * key's, for its own sellers; `node scripts/admin.ts rebuild-seller` drives both.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { actorOf } from "../auth/principal.ts";
import { auditStatement } from "../db/audit.ts";
import { allowancesOf } from "../db/platform-allowances.ts";
import { sellerIdSchema } from "../events/schema.ts";
import { type AppEnv, authenticate, operatorAccess } from "../http/authenticate.ts";
import { ApiError, limitReached, unavailable } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation } from "../http/openapi/operations.ts";
import { errorResponses, errorSchema, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { sendJobs } from "../queues/job-messages.ts";
import { failRebuild, newRebuildId, readRebuild, startRebuild } from "./rebuild.ts";
import { admitRebuild } from "./rebuild-runs.ts";

const rebuildSchema = z
  .object({
    rebuild_id: z.string(),
    seller_id: z.string(),
    state: z.enum(["running", "done", "failed"]),
    objects_read: z.int().describe("archive objects read so far (the platform's, every seller's)"),
    events_replayed: z.int().describe("this seller's events replayed so far (copies included)"),
    equal: z.boolean().nullable().describe("whether the rebuilt summary equals the live one; null until done"),
    differences: z
      .array(z.object({ path: z.string(), live: z.unknown(), rebuilt: z.unknown() }))
      .describe("where the two summaries differ (at most 50), updated_at aside"),
    error: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi("Rebuild");

export const opsRebuilds = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// One pattern: "/rebuilds/*" matches "/rebuilds" too (a second would count every call twice).
opsRebuilds.use("/rebuilds/*", authenticate, operatorAccess);

opsRebuilds.openapi(
  createRoute({
    method: "post",
    path: "/rebuilds",
    summary: "Replay a seller's archived events into a scratch ledger and compare it with the live one",
    ...operation("startRebuild", "Operator", OPERATOR),
    request: {
      body: {
        content: {
          "application/json": { schema: z.object({ seller_id: sellerIdSchema }), example: ex.REBUILD_REQUEST },
        },
        required: true,
      },
    },
    responses: {
      202: jsonContent(
        z.object({ rebuild_id: z.string() }),
        "Started: follow it at /v1/ops/rebuilds/{id}",
        ex.REBUILD_STARTED,
      ),
      ...errorResponses,
      409: jsonContent(
        errorSchema,
        "The platform runs its allowance of rebuilds at once (limit_reached)",
        ex.REBUILDS_LIMIT_REACHED,
      ),
      503: jsonContent(errorSchema, "It could not be started: it is failed, and starting another is safe"),
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const { seller_id } = c.req.valid("json");
    const max = (await allowancesOf(c.env, platform.id)).rebuilds_at_once;
    const rebuildId = newRebuildId();
    if (!(await admitRebuild(c.env.DB, { platform: platform.id, sellerId: seller_id, rebuildId, max }))) {
      throw limitReached(
        "rebuilds_at_once",
        max,
        `This platform runs its allowance of ${max} rebuilds; wait for one to end`,
      );
    }
    const rebuild = await startRebuild(c.env, platform.id, seller_id, rebuildId);
    const job = {
      job: "archive.rebuild" as const,
      platform: platform.id,
      sellerId: seller_id,
      currency: platform.currency,
      rebuildId: rebuild.rebuild_id,
    };
    try {
      await sendJobs(c.env.JOBS, [job]);
    } catch (error) {
      // Nothing would ever run it: it ends now rather than showing as running for ever.
      console.error("rebuild's first step not sent; the rebuild ends", rebuild.rebuild_id, error);
      await failRebuild(c.env, job, "The rebuild could not be started; starting another is safe");
      throw unavailable("The rebuild could not be started; please try again", {
        rebuild_id: rebuild.rebuild_id,
      });
    }
    await auditStatement(c.env.DB, platform.id, actorOf(c.get("principal")), "seller.rebuild", seller_id).run();
    return c.json({ rebuild_id: rebuild.rebuild_id }, 202);
  },
);

opsRebuilds.openapi(
  createRoute({
    method: "get",
    path: "/rebuilds/{id}",
    summary: "A rebuild's progress, and once done whether the rebuilt summary equals the live one",
    ...operation("getRebuild", "Operator", OPERATOR),
    request: {
      params: z.object({
        id: z
          .string()
          .max(64)
          .openapi({ param: { example: ex.REBUILD.rebuild_id } }),
      }),
    },
    responses: {
      200: jsonContent(rebuildSchema, "The rebuild", ex.REBUILD),
      404: jsonContent(errorSchema, "No such rebuild (they are kept REBUILDS_RETENTION_DAYS, 7 by default)"),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { platform } = c.get("principal");
    const rebuild = await readRebuild(c.env.KV, platform.id, c.req.valid("param").id);
    if (!rebuild) throw new ApiError(404, "not_found", "No such rebuild");
    return c.json(rebuild, 200);
  },
);
