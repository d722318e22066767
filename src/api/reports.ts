/**
 * GET /v1/reports and GET /v1/reports/{date}?kind=: the daily CSVs the reports job writes to R2,
 * streamed back as they are stored. The platform key and operators get the whole file; a
 * seller's session gets the header and its own rows only, filtered as the file streams by.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type CsvRecord, CsvRecordSplitter, csvCells } from "../csv/read.ts";
import { spreadsheetSafe } from "../csv/write.ts";
import { reportKey } from "../reports/report-key.ts";
import { REPORT_KINDS } from "../reports/report-sql.ts";
import { type AppEnv, authenticate } from "./auth.ts";
import { ApiError } from "./errors.ts";
import { errorResponses, errorSchema, jsonContent } from "./openapi-schemas.ts";
import { validationHook } from "./validation.ts";

const reportListSchema = z
  .object({
    reports: z.array(
      z.object({
        date: z.iso.date(),
        kind: z.enum(REPORT_KINDS),
        rows: z.int().nullable().describe("data rows in the file (null for a seller's session: its own are fewer)"),
        bytes: z.int().nullable().describe("the file's size (null for a seller's session)"),
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
    security: [{ bearer: [] }],
    responses: { 200: jsonContent(reportListSchema, "The reports"), ...errorResponses },
  }),
  async (c) => {
    const principal = c.get("principal");
    const { results } = await c.env.DB.prepare(
      "SELECT date, kind, rows, bytes FROM reports WHERE platform_id = ? ORDER BY date DESC, kind LIMIT 1000",
    )
      .bind(principal.platform.id)
      .all<{ date: string; kind: (typeof REPORT_KINDS)[number]; rows: number; bytes: number }>();
    const own = principal.kind === "seller";
    return c.json({ reports: results.map((r) => (own ? { ...r, rows: null, bytes: null } : r)) }, 200);
  },
);

reports.openapi(
  createRoute({
    method: "get",
    path: "/{date}",
    summary: "One day's report as CSV (a seller's session gets its own rows only)",
    security: [{ bearer: [] }],
    request: {
      params: z.object({ date: z.iso.date().describe("a UTC day, YYYY-MM-DD") }),
      query: z.object({ kind: z.enum(REPORT_KINDS) }),
    },
    responses: {
      200: { description: "The CSV", content: { "text/csv": { schema: z.string() } } },
      ...errorResponses,
      404: jsonContent(errorSchema, "No report of that day and kind"),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const { date } = c.req.valid("param");
    const { kind } = c.req.valid("query");
    const object = await c.env.BUCKET.get(reportKey(principal.platform.id, date, kind));
    if (!object) throw new ApiError(404, "not_found", `No ${kind} report for ${date}`);
    const headers = {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${principal.platform.id}-${date}-${kind}.csv"`,
    };
    if (principal.kind !== "seller") {
      return new Response(object.body, { headers: { ...headers, "Content-Length": String(object.size) } });
    }
    const body = object.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(ownRows(spreadsheetSafe(principal.sellerId)))
      .pipeThrough(new TextEncoderStream());
    return new Response(body, { headers });
  },
);

/** The header and the records whose second cell (seller_id, in both kinds) is the seller's. */
function ownRows(sellerCell: string): TransformStream<string, string> {
  const splitter = new CsvRecordSplitter();
  const keep = (records: CsvRecord[], controller: TransformStreamDefaultController<string>) => {
    for (const record of records) {
      if (record.line === 1 || csvCells(record.text)?.[1] === sellerCell) controller.enqueue(`${record.text}\r\n`);
    }
  };
  return new TransformStream({
    transform: (piece, controller) => keep(splitter.push(piece), controller),
    flush: (controller) => keep(splitter.end(), controller),
  });
}
