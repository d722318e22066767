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

/** A digest of each seller's rows, per kind of report (a seller without rows of a kind has none). */
export type Digests = Map<string, Partial<Record<ReportKind, string>>>;

/** Sellers per page: their ids travel as one JSON parameter. */
const SELLERS_PER_PAGE = 500;

export interface WrittenReports {
  /** The sellers with a row in the sellers report (for their report.ready alerts). */
  sellers: string[];
  rows: Record<ReportKind, number>;
  /** A digest of each seller's rows per kind, to tell which sellers' rows changed. */
  digests: Digests;
}

/** Which writing of the day this is: its revision, and the day's change counter its rollups were read at. */
export interface Stamp {
  revision: number;
  sourceVersion: number;
}

export async function writeReports(env: Env, platform: string, date: string, stamp: Stamp): Promise<WrittenReports> {
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
  const digests: Digests = new Map();
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
        const record = csvRecord(REPORT_COLUMNS.sellers.map((c) => (c === "date" ? date : row[c]!)));
        ranges.sellers.start(String(row.seller_id), files.sellers.bytes, record);
        await files.sellers.write(record);
      }
      for (const row of productRows!.results) {
        const record = csvRecord(REPORT_COLUMNS.products.map((c) => (c === "date" ? date : row[c]!)));
        ranges.products.start(String(row.seller_id), files.products.bytes, record);
        await files.products.write(record);
      }
      const json = await Promise.all(REPORT_KINDS.map((kind) => ranges[kind].json(files[kind].bytes, digests, kind)));
      await env.DB.batch(
        REPORT_KINDS.map((kind, i) => env.DB.prepare(INSERT_RANGES).bind(platform, date, kind, generation, json[i])),
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
        `INSERT INTO reports (platform_id, date, kind, rows, bytes, written_at, generation, revision, source_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform_id, date, kind) DO UPDATE SET rows = excluded.rows, bytes = excluded.bytes,
           written_at = excluded.written_at, generation = excluded.generation, revision = excluded.revision,
           source_version = excluded.source_version`,
      ).bind(
        platform,
        date,
        kind,
        rows[kind],
        files[kind].bytes,
        writtenAt,
        generation,
        stamp.revision,
        stamp.sourceVersion,
      ),
      // The ranges of earlier writings, and of any that failed half-way, are of no file now.
      env.DB.prepare(
        "DELETE FROM report_ranges WHERE platform_id = ? AND date = ? AND kind = ? AND generation <> ?",
      ).bind(platform, date, kind, generation),
    ]),
  );
  return { sellers, rows, digests };
}

/**
 * The runs of bytes that each seller's rows take in a file, as its rows are written in seller order,
 * and a digest of each run's text.
 */
class SellerRanges {
  private readonly starts: [seller: string, offset: number, text: string][] = [];

  /** A row of `seller` starts at `offset`: a new run if the seller is not the last one's. */
  start(seller: string, offset: number, record: string): void {
    const last = this.starts.at(-1);
    if (last?.[0] === seller) last[2] += record;
    else this.starts.push([seller, offset, record]);
  }

  /** The runs as JSON [[seller, offset, bytes, digest], ...]; the last ends at `end`. Each digest goes in `digests` too. */
  async json(end: number, digests: Digests, kind: ReportKind): Promise<string> {
    const runs = await Promise.all(
      this.starts.map(async ([seller, offset, text], i) => {
        const digest = await digestOf(text);
        digests.set(seller, { ...digests.get(seller), [kind]: digest });
        return [seller, offset, (this.starts[i + 1]?.[1] ?? end) - offset, digest];
      }),
    );
    return JSON.stringify(runs);
  }
}

/** The first 128 bits of the text's SHA-256, in hex: equal rows, equal digests. */
async function digestOf(text: string): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(hash).slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
