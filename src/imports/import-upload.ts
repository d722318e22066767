/**
 * Receiving an import: the request body streams into R2 (a part at a time: never the whole file
 * in memory) while it is checked on its way through: at most MAX_IMPORT_BYTES once decompressed,
 * valid UTF-8, no record longer than MAX_RECORD_CHARS, and for CSV a header an import can read,
 * refused at once. The rows are counted on the way, so progress has a total from the start.
 */
import { type CsvRecord, csvCells } from "../files/csv-read.ts";
import { R2Upload } from "../files/r2-upload.ts";
import { headerProblem } from "./columns.ts";
import {
  type ImportAllowance,
  importAllowance,
  tooManyAtOnce,
  tooManyBytes,
  WITHIN_ALLOWANCE,
} from "./import-allowance.ts";
import { type ImportFormat, isBlank, splitterFor } from "./records.ts";

export const importKey = (platformId: string, importId: string) => `imports/${platformId}/${importId}`;

export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
/** No event is longer (POST /v1/events takes at most 1 MiB); a longer record is a broken file. */
const MAX_RECORD_CHARS = 1024 * 1024;

/** Why an upload is refused, with the HTTP status it deserves. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** An upload past what the platform may import today (stopped as it streams). */
class OverDailyBytes extends Error {}

export interface Received {
  bytes: number;
  rows: number;
  /** The CSV header's columns (null for NDJSON). */
  columns: string[] | null;
}

async function receiveImport(
  body: ReadableStream<Uint8Array>,
  format: ImportFormat,
  gzip: boolean,
  bucket: R2Bucket,
  key: string,
  bytesLeft: number,
): Promise<Received> {
  const stream = gzip ? body.pipeThrough(new DecompressionStream("gzip")) : body;
  const upload = new R2Upload(bucket, key, {
    httpMetadata: { contentType: format === "csv" ? "text/csv" : "application/x-ndjson" },
  });
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const splitter = splitterFor(format);
  const received: Received = { bytes: 0, rows: 0, columns: null };
  const take = (records: CsvRecord[]) => {
    for (const record of records) {
      if (format === "csv" && received.columns === null) received.columns = headerOf(record);
      else if (!isBlank(record)) received.rows++;
    }
  };
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new UploadRefused(400, "The file is not valid UTF-8");
    }
  };
  const reader = stream.getReader();
  try {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch {
        throw new UploadRefused(400, "The body is not valid gzip");
      }
      if (read.done) break;
      received.bytes += read.value.byteLength;
      if (received.bytes > MAX_IMPORT_BYTES) {
        throw new UploadRefused(413, `The file is over ${MAX_IMPORT_BYTES} bytes (100 MiB) once decompressed`);
      }
      if (received.bytes > bytesLeft) throw new OverDailyBytes();
      take(splitter.push(decode(read.value)));
      if (splitter.pendingLength > MAX_RECORD_CHARS) {
        throw new UploadRefused(
          400,
          `Line ${splitter.nextLine} is longer than ${MAX_RECORD_CHARS} characters: no event is`,
        );
      }
      await upload.writeBytes(read.value);
    }
    take(splitter.push(decode()));
    take(splitter.end());
    if (format === "csv" && received.columns === null)
      throw new UploadRefused(400, "The file is empty: a CSV starts with its header");
    if (received.rows === 0) throw new UploadRefused(400, "The file has no rows");
    await upload.close();
    return received;
  } catch (error) {
    await reader.cancel().catch(() => {});
    await upload.abort().catch(() => {});
    throw error;
  }
}

/**
 * Stores an upload and records it in D1 as queued, within the platform's import allowances (409
 * limit_reached past them: the stored file is deleted); the caller starts its job.
 */
export async function createImport(
  env: Env,
  platformId: string,
  body: ReadableStream<Uint8Array>,
  format: ImportFormat,
  gzip: boolean,
  allowance: ImportAllowance,
): Promise<Received & { importId: string }> {
  const importId = `imp_${crypto.randomUUID().replaceAll("-", "")}`;
  const key = importKey(platformId, importId);
  let received: Received;
  try {
    received = await receiveImport(body, format, gzip, env.BUCKET, key, allowance.bytesLeft);
  } catch (error) {
    if (error instanceof OverDailyBytes) throw tooManyBytes(allowance.bytesPerDay);
    throw error;
  }
  const recorded = await env.DB.prepare(
    `INSERT INTO imports (import_id, platform_id, format, columns, bytes, state, rows_total, created_at)
     SELECT ?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?7 WHERE ${WITHIN_ALLOWANCE}`,
  )
    .bind(
      importId,
      platformId,
      format,
      received.columns && JSON.stringify(received.columns),
      received.bytes,
      received.rows,
      new Date().toISOString(),
      allowance.atOnce,
      allowance.dayStart,
      allowance.bytesPerDay,
    )
    .run();
  if (recorded.meta.changes === 0) {
    // Another upload took the place meanwhile: this one is not kept, and the answer says which.
    await env.BUCKET.delete(key);
    const limits = { imports_at_once: allowance.atOnce, import_bytes_per_day: allowance.bytesPerDay };
    const refused: unknown = await importAllowance(env.DB, platformId, limits).catch((error: unknown) => error);
    throw refused instanceof Error ? refused : tooManyAtOnce(allowance.atOnce);
  }
  return { ...received, importId };
}

function headerOf(record: CsvRecord): string[] {
  const columns = csvCells(record.text)?.map((c) => c.trim());
  if (!columns) throw new UploadRefused(400, "The CSV header's quoting is malformed");
  const problem = headerProblem(columns);
  if (problem) throw new UploadRefused(400, `The CSV cannot be imported: ${problem}`);
  return columns;
}
