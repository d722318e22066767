/**
 * GET /v1/reports and GET /v1/reports/{date}?kind=: the daily CSVs the reports job writes to R2,
 * streamed back as they are stored. The platform key and operators get the whole file; a
 * seller's session gets the header and its own rows only, found by its exact seller id in the
 * ranges kept beside the file: never by reading cells, whose spreadsheet escaping is not the id.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Platform } from "../auth/principal.ts";
import { csvRecord } from "../files/csv-write.ts";
import { type AppEnv, authenticate } from "../http/authenticate.ts";
import { ApiError, unavailable } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, READERS } from "../http/openapi/operations.ts";
import { errorResponses, errorSchema, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { reportKey } from "./report-key.ts";
import { OWN_RANGE, REPORT_COLUMNS, REPORT_KINDS, type ReportKind } from "./report-sql.ts";

const reportListSchema = z
  .object({
    reports: z.array(
      z.object({
        date: z.iso.date(),
        kind: z.enum(REPORT_KINDS),
        rows: z.int().nullable().describe("data rows in the file (null for a seller's session: its own are fewer)"),
        bytes: z.int().nullable().describe("the file's size (null for a seller's session)"),
        revision: z
          .int()
          .describe("1 for the first writing; one more each time later events changed the day (for 7 days)"),
        written_at: z.string().describe("when this revision was written"),
      }),
    ),
  })
  .openapi("ReportList");

export const reports = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
reports.use("*", authenticate);

reports.openapi(
  createRoute({
    method: "get",
    path: "/",
    summary: "The daily reports written for the platform, newest first",
    ...operation("listReports", "Reports", READERS),
    responses: { 200: jsonContent(reportListSchema, "The reports", ex.REPORTS), ...errorResponses },
  }),
  async (c) => {
    const principal = c.get("principal");
    const { results } = await c.env.DB.prepare(
      `SELECT date, kind, rows, bytes, revision, written_at FROM reports WHERE platform_id = ?
       ORDER BY date DESC, kind LIMIT 1000`,
    )
      .bind(principal.platform.id)
      .all<{
        date: string;
        kind: (typeof REPORT_KINDS)[number];
        rows: number;
        bytes: number;
        revision: number;
        written_at: string;
      }>();
    const own = principal.kind === "seller";
    return c.json({ reports: results.map((r) => (own ? { ...r, rows: null, bytes: null } : r)) }, 200);
  },
);

reports.openapi(
  createRoute({
    method: "get",
    path: "/{date}",
    summary: "One day's report as CSV (a seller's session gets its own rows only)",
    ...operation("getReport", "Reports", READERS),
    request: {
      params: z.object({
        date: z.iso
          .date()
          .max(10)
          .describe("a UTC day, YYYY-MM-DD")
          .openapi({ param: { example: "2026-12-03" } }),
      }),
      query: z.object({ kind: z.enum(REPORT_KINDS) }),
    },
    responses: {
      200: { description: "The CSV", content: { "text/csv": { schema: z.string(), example: ex.REPORT_CSV } } },
      ...errorResponses,
      404: jsonContent(errorSchema, "No report of that day and kind"),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const { date } = c.req.valid("param");
    const { kind } = c.req.valid("query");
    const headers = {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${principal.platform.id}-${date}-${kind}.csv"`,
    };
    if (principal.kind === "seller") {
      const csv = await ownRows(c.env, principal.platform, principal.sellerId, date, kind);
      return new Response(csv, { headers });
    }
    const object = await c.env.BUCKET.get(reportKey(principal.platform.id, date, kind));
    if (!object) throw notFound(date, kind);
    return new Response(object.body, { headers: { ...headers, "Content-Length": String(object.size) } });
  },
);

const notFound = (date: string, kind: ReportKind) => new ApiError(404, "not_found", `No ${kind} report for ${date}`);

/**
 * The header and the seller's own rows of a report: the run of bytes its ranges name, read from
 * the file only if the file is still the writing those ranges are of (else, once more: the day
 * was just written again).
 */
async function ownRows(env: Env, platform: Platform, sellerId: string, date: string, kind: ReportKind) {
  const header = csvRecord(REPORT_COLUMNS[kind]);
  for (let attempt = 0; attempt < 2; attempt++) {
    const range = await env.DB.prepare(OWN_RANGE)
      .bind(platform.id, date, kind, sellerId)
      .first<{ generation: string | null; offset: number | null; bytes: number | null }>();
    if (!range) throw notFound(date, kind);
    if (range.generation === null) {
      throw new ApiError(404, "not_found", `The ${kind} report for ${date} is not kept per seller; ask the platform`);
    }
    if (range.offset === null || range.bytes === null) return header;
    const object = await env.BUCKET.get(reportKey(platform.id, date, kind), {
      range: { offset: range.offset, length: range.bytes },
    });
    if (!object) throw notFound(date, kind);
    if (object.customMetadata?.generation === range.generation) return header + (await object.text());
    await object.body.cancel();
  }
  throw unavailable();
}
