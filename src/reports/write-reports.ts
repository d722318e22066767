/**
 * Writes a platform's reports for one UTC day: the `products` and `sellers` CSVs to R2 at
 * reports/<platform>/<date>/<kind>.csv, a page of sellers at a time, never the whole file in
 * memory, and records each in D1 with where each seller's rows are (report_ranges), so that a
 * seller is served its own rows by its exact id. The same rollups give the same bytes.
 */
import { csvRecord } from "../files/csv-write.ts";
import { R2Upload } from "../files/r2-upload.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";
import { reportKey } from "./report-key.ts";
import {
  INSERT_RANGES,
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
  // This writing's ranges are kept under its generation until the file is in place, so that a
  // reader never pairs the ranges of one writing with the bytes of another.
  const generation = crypto.randomUUID();
  const options = { httpMetadata: { contentType: "text/csv; charset=utf-8" }, customMetadata: { generation } };
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
      const ranges = { products: new SellerRanges(), sellers: new SellerRanges() };
      for (const row of sellerRows!.results) {
        sellers.push(String(row.seller_id));
        ranges.sellers.start(String(row.seller_id), files.sellers.bytes);
        await files.sellers.write(csvRecord(REPORT_COLUMNS.sellers.map((c) => (c === "date" ? date : row[c]!))));
      }
      for (const row of productRows!.results) {
        ranges.products.start(String(row.seller_id), files.products.bytes);
        await files.products.write(csvRecord(REPORT_COLUMNS.products.map((c) => (c === "date" ? date : row[c]!))));
      }
      await env.DB.batch(
        REPORT_KINDS.map((kind) =>
          env.DB.prepare(INSERT_RANGES).bind(platform, date, kind, generation, ranges[kind].json(files[kind].bytes)),
        ),
      );
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
    REPORT_KINDS.flatMap((kind) => [
      env.DB.prepare(
        `INSERT INTO reports (platform_id, date, kind, rows, bytes, written_at, generation) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform_id, date, kind) DO UPDATE SET rows = excluded.rows, bytes = excluded.bytes,
           written_at = excluded.written_at, generation = excluded.generation`,
      ).bind(platform, date, kind, rows[kind], files[kind].bytes, writtenAt, generation),
      // The ranges of earlier writings, and of any that failed half-way, are of no file now.
      env.DB.prepare(
        "DELETE FROM report_ranges WHERE platform_id = ? AND date = ? AND kind = ? AND generation <> ?",
      ).bind(platform, date, kind, generation),
    ]),
  );
  return { sellers, rows };
}

/** The runs of bytes that each seller's rows take in a file, as its rows are written in seller order. */
class SellerRanges {
  private readonly starts: [seller: string, offset: number][] = [];

  /** A row of `seller` starts at `offset`: a new run if the seller is not the last one's. */
  start(seller: string, offset: number): void {
    if (this.starts.at(-1)?.[0] !== seller) this.starts.push([seller, offset]);
  }

  /** The runs as JSON [[seller, offset, bytes], ...]; the last ends at `end`. */
  json(end: number): string {
    return JSON.stringify(
      this.starts.map(([seller, offset], i) => [seller, offset, (this.starts[i + 1]?.[1] ?? end) - offset]),
    );
  }
}
