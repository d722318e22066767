/**
 * Writes a platform's reports for one UTC day: the `products` and `sellers` CSVs to R2 at
 * reports/<platform>/<date>/<kind>.csv, a page of sellers at a time, never the whole file in
 * memory, and records each in D1. The same rollups give the same bytes.
 */
import { csvRecord } from "../csv/write.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";
import { R2Upload } from "../r2/upload.ts";
import { reportKey } from "./report-key.ts";
import {
  PRODUCT_ROWS,
  REPORT_COLUMNS,
  REPORT_KINDS,
  type ReportKind,
  SELLER_ROWS,
  SELLERS_OF_DAY,
} from "./report-sql.ts";

/** Sellers per page: their ids travel as one JSON parameter. */
const SELLERS_PER_PAGE = 500;

export interface WrittenReports {
  /** The sellers with a row in the sellers report (for their report.ready alerts). */
  sellers: string[];
  rows: Record<ReportKind, number>;
}

export async function writeReports(env: Env, platform: string, date: string): Promise<WrittenReports> {
  const fromHour = Date.parse(`${date}T00:00:00Z`) / HOUR_MS;
  const toHour = fromHour + DAY_MS / HOUR_MS;
  const options = { httpMetadata: { contentType: "text/csv; charset=utf-8" } };
  const files = Object.fromEntries(
    REPORT_KINDS.map((kind) => [kind, new R2Upload(env.BUCKET, reportKey(platform, date, kind), options)]),
  ) as Record<ReportKind, R2Upload>;
  const rows: Record<ReportKind, number> = { products: 0, sellers: 0 };
  const sellers: string[] = [];
  try {
    for (const kind of REPORT_KINDS) await files[kind].write(csvRecord(REPORT_COLUMNS[kind]));
    let after = "";
    for (;;) {
      const { results: page } = await env.DB.prepare(SELLERS_OF_DAY)
        .bind(platform, fromHour, toHour, after, SELLERS_PER_PAGE)
        .all<{ seller_id: string }>();
      if (page.length === 0) break;
      after = page[page.length - 1]!.seller_id;
      const ids = JSON.stringify(page.map((p) => p.seller_id));
      const [sellerRows, productRows] = await env.DB.batch<Record<string, string | number>>([
        env.DB.prepare(SELLER_ROWS).bind(platform, ids, fromHour, toHour),
        env.DB.prepare(PRODUCT_ROWS).bind(platform, ids, fromHour, toHour),
      ]);
      for (const row of sellerRows!.results) {
        sellers.push(String(row.seller_id));
        await files.sellers.write(csvRecord(REPORT_COLUMNS.sellers.map((c) => (c === "date" ? date : row[c]!))));
      }
      for (const row of productRows!.results) {
        await files.products.write(csvRecord(REPORT_COLUMNS.products.map((c) => (c === "date" ? date : row[c]!))));
      }
      rows.sellers += sellerRows!.results.length;
      rows.products += productRows!.results.length;
      if (page.length < SELLERS_PER_PAGE) break;
    }
    for (const kind of REPORT_KINDS) await files[kind].close();
  } catch (error) {
    await Promise.allSettled(REPORT_KINDS.map((kind) => files[kind].abort()));
    throw error;
  }
  const writtenAt = new Date().toISOString();
  await env.DB.batch(
    REPORT_KINDS.map((kind) =>
      env.DB.prepare(
        `INSERT INTO reports (platform_id, date, kind, rows, bytes, written_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform_id, date, kind) DO UPDATE SET rows = excluded.rows, bytes = excluded.bytes,
           written_at = excluded.written_at`,
      ).bind(platform, date, kind, rows[kind], files[kind].bytes, writtenAt),
    ),
  );
  return { sellers, rows };
}
