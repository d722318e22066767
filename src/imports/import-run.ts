/**
 * The import job: reads an uploaded file a chunk at a time (ranged R2 reads, cut at the last
 * whole record), judges its rows with the same rules as POST /v1/events, puts the valid events
 * on the events queue, and commits its progress after each chunk. The commit is conditional on
 * the offset it started from, so a redelivered or retried step resumes where the last commit
 * left off, and re-sending a chunk's events adds nothing (the ledgers dedupe by event id).
 */
import type { Platform } from "../auth/principal.ts";
import { type Validated, validateEvents } from "../events/validate.ts";
import { csvCells } from "../files/csv-read.ts";
import { takeRate } from "../http/rate-limits.ts";
import { withinSellerQuota } from "../limits/seller-quota.ts";
import { enqueueEvents } from "../pipeline/producer.ts";
import { eventOfRow } from "./columns.ts";
import { importKey } from "./import-upload.ts";
import { type ImportFormat, isBlank, lastRecordEnd, splitterFor } from "./records.ts";

/**
 * Bytes read per chunk: about ten thousand rows. What a step holds at once (the chunk, its rows
 * parsed and judged) grows with it, and an isolate has 128 MB; a record (at most 1 MiB) always fits.
 */
const CHUNK_BYTES = 2 * 1024 * 1024;
/** A step stops after this long and sends itself on, so no invocation runs near its limits. */
const STEP_MS = 10_000;
/** The rejected rows kept per import (the contract serves the first 100). */
export const KEPT_REJECTIONS = 100;

interface ImportRow {
  import_id: string;
  platform_id: string;
  currency: string;
  format: ImportFormat;
  columns: string | null;
  bytes: number;
  state: string;
  offset: number;
  line: number;
  rows_rejected: number;
}

interface ChunkResult {
  /** Rows judged (blank lines are no rows). */
  rows: number;
  rejected: { line: number; errors: string[] }[];
}

/**
 * Runs an import from its committed offset for up to STEP_MS; returns the seconds to wait before
 * its next step (0: at once), or null when it needs none. A chunk's events count against the
 * platform's ingest allowance, as posted events do: over it, the step ends uncommitted and the next
 * waits for the allowance. Throws when a read, a send or a commit fails: the queue retries the step
 * from the offset.
 */
export async function runImportStep(env: Env, importId: string, chunkBytes = CHUNK_BYTES): Promise<number | null> {
  const started = Date.now();
  const loaded = await loadImport(env.DB, importId);
  if (loaded === null || loaded.state === "done" || loaded.state === "failed") return null;
  let row = loaded;
  const platform: Platform = { id: row.platform_id, currency: row.currency };
  while (Date.now() - started < STEP_MS) {
    const length = Math.min(chunkBytes, row.bytes - row.offset);
    const object = await env.BUCKET.get(importKey(row.platform_id, importId), {
      range: { offset: row.offset, length },
    });
    if (object === null) return fail(env.DB, importId, "The uploaded file is no longer stored");
    const bytes = new Uint8Array(await object.arrayBuffer());
    const last = row.offset + length >= row.bytes;
    const cut = last ? bytes.byteLength : lastRecordEnd(bytes, row.format);
    if (cut === 0) {
      return fail(env.DB, importId, `The record on line ${row.line} is longer than ${chunkBytes} bytes`);
    }
    const text = new TextDecoder().decode(bytes.subarray(0, cut));
    const splitter = splitterFor(row.format, row.line);
    const records = [...splitter.push(text), ...(last ? splitter.end() : [])];
    const read = readRecords(records, row, platform, Date.now());
    const judged = chunkResult(await withinSellerQuota(env.DB, platform.id, read.validated), read.lines);
    const key = `platform:${platform.id}`;
    const wait = await takeRate(env, "ingest", platform.id, key, judged.valid.length, true);
    if (wait > 0) return wait;
    if (judged.valid.length > 0) await enqueueEvents(env.EVENTS, platform, judged.valid);
    const next = { offset: row.offset + cut, line: last ? row.line : splitter.nextLine };
    if (!(await commitChunk(env.DB, row, next, judged, last))) return null; // another step is ahead
    if (last) return null;
    row = { ...row, ...next, rows_rejected: row.rows_rejected + judged.rejected.length, state: "running" };
  }
  return 0;
}

/** The rows of a chunk judged as /v1/events judges events, with the line each candidate starts on. */
function readRecords(
  records: { text: string; line: number }[],
  row: ImportRow,
  platform: Platform,
  nowMs: number,
): { validated: Validated; lines: number[] } {
  const candidates: unknown[] = [];
  const lines: number[] = [];
  const unreadable = new Map<number, string>();
  const columns = row.columns === null ? null : (JSON.parse(row.columns) as string[]);
  for (const record of records) {
    if (isBlank(record)) continue;
    if (columns !== null && record.line === 1) continue; // the header, checked on upload
    const read = columns === null ? readJsonLine(record.text) : readCsvRow(columns, record.text);
    if ("error" in read) unreadable.set(candidates.length, read.error);
    candidates.push("event" in read ? read.event : null);
    lines.push(record.line);
  }
  return { validated: validateEvents(candidates, platform.currency, nowMs, unreadable), lines };
}

/** The events to send, and the rejected rows with their lines. */
function chunkResult(validated: Validated, lines: number[]): ChunkResult & { valid: Validated["valid"] } {
  return {
    valid: validated.valid,
    rows: lines.length,
    rejected: validated.rejected.map((r) => ({ line: lines[r.index]!, errors: r.errors })),
  };
}

function readJsonLine(text: string): { event: unknown } | { error: string } {
  try {
    return { event: JSON.parse(text) };
  } catch {
    return { error: "this line is not valid JSON" };
  }
}

function readCsvRow(columns: string[], text: string): { event: unknown } | { error: string } {
  const cells = csvCells(text);
  return cells === null ? { error: "the row's quoting is malformed" } : eventOfRow(columns, cells);
}

async function loadImport(db: D1Database, importId: string): Promise<ImportRow | null> {
  return db
    .prepare(
      `SELECT i.import_id, i.platform_id, p.currency, i.format, i.columns, i.bytes, i.state, i.offset, i.line,
              i.rows_rejected
         FROM imports i JOIN platforms p ON p.id = i.platform_id
        WHERE i.import_id = ?`,
    )
    .bind(importId)
    .first<ImportRow>();
}

/** The chunk's counts, where the next starts, and the first rejections, at once; false if the offset moved. */
async function commitChunk(
  db: D1Database,
  row: ImportRow,
  next: { offset: number; line: number },
  chunk: ChunkResult,
  last: boolean,
): Promise<boolean> {
  const kept = chunk.rejected.slice(0, Math.max(0, KEPT_REJECTIONS - row.rows_rejected));
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE imports SET offset = ?, line = ?, rows_done = rows_done + ?, rows_rejected = rows_rejected + ?,
                state = ?, finished_at = ?
          WHERE import_id = ? AND offset = ? AND state IN ('queued', 'running')`,
      )
      .bind(
        next.offset,
        next.line,
        chunk.rows,
        chunk.rejected.length,
        last ? "done" : "running",
        last ? new Date().toISOString() : null,
        row.import_id,
        row.offset,
      ),
    ...kept.map((r) =>
      db
        .prepare(
          // Only with the update: a step that lost the race adds nothing.
          `INSERT OR IGNORE INTO import_rejections (import_id, line, errors)
           SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM imports WHERE import_id = ? AND offset = ?)`,
        )
        .bind(row.import_id, r.line, JSON.stringify(r.errors), row.import_id, next.offset),
    ),
  ]);
  return (update?.meta.changes ?? 0) > 0;
}

/** Ends an import that cannot go on, saying why; returns null (no further step). */
export async function fail(db: D1Database, importId: string, error: string): Promise<null> {
  await db
    .prepare(
      "UPDATE imports SET state = 'failed', error = ?, finished_at = ? WHERE import_id = ? AND state IN ('queued', 'running')",
    )
    .bind(error, new Date().toISOString(), importId)
    .run();
  return null;
}
