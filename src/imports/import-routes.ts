/**
 * POST /v1/imports, GET /v1/imports and GET /v1/imports/{id}: a file of events (NDJSON or CSV, up
 * to 100 MiB) streamed into R2, then read by a job that sends its rows down the same path as POST
 * /v1/events; the imports' progress as the job commits it, listed or one with its rejected rows.
 * A platform's imports are its own: another platform's id is 404, as if it did not exist.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { allowancesOf } from "../db/platform-allowances.ts";
import { type AppEnv, authenticate, operatorAccess, requirePlatformKey } from "../http/authenticate.ts";
import { decodeCursor, encodeCursor } from "../http/cursor.ts";
import { ApiError, unavailable } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { OPERATOR, operation, PLATFORM } from "../http/openapi/operations.ts";
import { errorResponses, errorSchema, jsonContent, pageSchema } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { ndjsonEvents } from "../pipeline/ingest.ts";
import { sendJobs } from "../queues/job-messages.ts";
import { importAllowance, tooManyBytes } from "./import-allowance.ts";
import { fail, KEPT_REJECTIONS } from "./import-run.ts";
import { createImport, MAX_IMPORT_BYTES, UploadRefused } from "./import-upload.ts";
import type { ImportFormat } from "./records.ts";

const FORMATS: Record<string, ImportFormat> = { "application/x-ndjson": "ndjson", "text/csv": "csv" };

const importSchema = z
  .object({
    import_id: z.string(),
    state: z.enum(["queued", "running", "done", "failed"]),
    rows_total: z.int().describe("rows in the file (blank lines and a CSV's header are not rows)"),
    rows_done: z.int().describe("rows judged so far, the rejected included"),
    rows_rejected: z.int(),
    rejected: z
      .array(z.object({ line: z.int().describe("counted from 1"), errors: z.array(z.string()) }))
      .describe(`the first ${KEPT_REJECTIONS} rejected rows, by line`),
    error: z.string().nullable().describe("why a failed import stopped"),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi("Import");

export const imports = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
imports.use("*", authenticate);

imports.openAPIRegistry.registerPath({
  method: "post",
  path: "/", // mounted at /v1/imports
  summary: "Upload a file of events (NDJSON or CSV, plain or gzip, at most 100 MiB decompressed)",
  ...operation("createImport", "Events", PLATFORM),
  request: {
    body: {
      content: {
        "application/x-ndjson": ndjsonEvents(MAX_IMPORT_BYTES),
        "text/csv": {
          schema: z.string().max(MAX_IMPORT_BYTES).describe("a header, then one event per row (columns in the README)"),
          example: ex.IMPORT_CSV,
        },
      },
    },
  },
  responses: {
    202: jsonContent(
      z.object({ import_id: z.string(), rows_total: z.int(), bytes: z.int() }),
      "Stored; the rows are being imported",
      ex.IMPORT_QUEUED,
    ),
    ...errorResponses,
    400: jsonContent(
      errorSchema,
      "Not UTF-8, not gzip, a record over 1 MiB, no rows, or a CSV header that names unknown or lacks required columns",
    ),
    413: jsonContent(errorSchema, "Over 100 MiB (decompressed)"),
    415: jsonContent(errorSchema, "Not application/x-ndjson or text/csv, or an encoding other than gzip"),
    409: jsonContent(
      errorSchema,
      "The platform has its allowance of imports queued or running, or of bytes imported today (limit_reached)",
      ex.IMPORTS_LIMIT_REACHED,
    ),
    503: jsonContent(errorSchema, "Stored, but it could not be started: it is failed, and uploading it again is safe"),
  },
});

imports.post("/", async (c) => {
  const platform = requirePlatformKey(c.get("principal"));
  const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  const format = FORMATS[mediaType];
  if (!format) {
    throw new ApiError(415, "unsupported_media_type", "An import is application/x-ndjson or text/csv");
  }
  const encoding = (c.req.header("Content-Encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new ApiError(415, "unsupported_media_type", "Content-Encoding may be gzip or none");
  }
  const declared = Number(c.req.header("Content-Length") ?? 0);
  if (encoding === "identity" && declared > MAX_IMPORT_BYTES) {
    throw new ApiError(413, "payload_too_large", `An import is at most ${MAX_IMPORT_BYTES} bytes (100 MiB)`);
  }
  const body = c.req.raw.body;
  if (!body) throw new ApiError(400, "invalid_request", "The file is empty");
  // Refused before a byte is read when the platform has no import left today, or too many running.
  const allowance = await importAllowance(c.env.DB, platform.id, await allowancesOf(c.env, platform.id));
  if (encoding === "identity" && declared > allowance.bytesLeft) throw tooManyBytes(allowance.bytesPerDay);
  let created: Awaited<ReturnType<typeof createImport>>;
  try {
    created = await createImport(c.env, platform.id, body, format, encoding === "gzip", allowance);
  } catch (error) {
    if (!(error instanceof UploadRefused)) throw error;
    const code = error.status === 413 ? "payload_too_large" : "invalid_request";
    throw new ApiError(error.status, code, error.message);
  }
  const importId = created.importId;
  try {
    await sendJobs(c.env.JOBS, [{ job: "imports.run", importId }]);
  } catch (error) {
    // Nothing would ever run it: it ends now rather than waiting as queued for ever.
    console.error("import's first step not sent; the import ends", importId, error);
    await fail(c.env.DB, importId, "The import could not be started; uploading the file again is safe");
    throw unavailable("The import could not be started; please upload it again", {
      import_id: importId,
    });
  }
  return c.json({ import_id: importId, rows_total: created.rows, bytes: created.bytes }, 202);
});

/** Where a page ended: the last import's [created_at, import_id]. */
const listCursor = z.tuple([z.string(), z.string()]);

imports.openapi(
  createRoute({
    method: "get",
    path: "/",
    summary: "The platform's imports and their progress, newest first, a page at a time",
    ...operation("listImports", "Events", OPERATOR),
    request: {
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(20),
        cursor: z.string().max(512).optional().describe("next_cursor of the page before"),
      }),
    },
    middleware: [operatorAccess],
    responses: {
      200: jsonContent(
        pageSchema("imports", importSchema.omit({ rejected: true })),
        "A page of imports (each one's rejected rows are at /v1/imports/{id})",
        ex.IMPORTS,
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? null : decodeCursor(cursor, listCursor);
    // imports_by_platform (platform_id, created_at), walked newest first.
    const { results } = await c.env.DB.prepare(
      `SELECT import_id, state, rows_total, rows_done, rows_rejected, error, created_at, finished_at
         FROM imports WHERE platform_id = ?1 ${after === null ? "" : "AND (created_at, import_id) < (?3, ?4)"}
         ORDER BY created_at DESC, import_id DESC LIMIT ?2`,
    )
      .bind(c.get("principal").platform.id, limit + 1, ...(after ?? []))
      .all<Omit<z.infer<typeof importSchema>, "rejected">>();
    const page = results.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        imports: page,
        next_cursor: results.length > limit && last ? encodeCursor([last.created_at, last.import_id]) : null,
      },
      200,
    );
  },
);

imports.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    summary: "An import's progress and its first rejected rows",
    ...operation("getImport", "Events", OPERATOR),
    request: {
      params: z.object({
        id: z
          .string()
          .max(100)
          .openapi({ param: { example: ex.IMPORT.import_id } }),
      }),
    },
    middleware: [operatorAccess],
    responses: {
      200: jsonContent(importSchema, "The import", ex.IMPORT),
      ...errorResponses,
      404: jsonContent(errorSchema, "No such import for this platform"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const platformId = c.get("principal").platform.id;
    const [found, rejections] = (await c.env.DB.batch([
      c.env.DB.prepare(
        `SELECT import_id, state, rows_total, rows_done, rows_rejected, error, created_at, finished_at
           FROM imports WHERE import_id = ? AND platform_id = ?`,
      ).bind(id, platformId),
      c.env.DB.prepare(
        `SELECT r.line, r.errors FROM import_rejections r JOIN imports i USING (import_id)
          WHERE r.import_id = ? AND i.platform_id = ? ORDER BY r.line LIMIT ?`,
      ).bind(id, platformId, KEPT_REJECTIONS),
    ])) as [D1Result<Omit<z.infer<typeof importSchema>, "rejected">>, D1Result<{ line: number; errors: string }>];
    const row = found.results[0];
    if (!row) throw new ApiError(404, "not_found", `No import ${id}`);
    const rejected = rejections.results.map((r) => ({
      line: r.line,
      errors: JSON.parse(r.errors) as string[],
    }));
    return c.json({ ...row, rejected }, 200);
  },
);
