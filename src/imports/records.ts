/**
 * An import's records, the same on the way in (counting rows) and in the job (reading chunks):
 * NDJSON lines or CSV records, cut from text that arrives in pieces, each with its line.
 */
import { type CsvRecord, CsvRecordSplitter } from "../files/csv-read.ts";
import { LineSplitter } from "./lines.ts";

export type ImportFormat = "ndjson" | "csv";

export const splitterFor = (format: ImportFormat, firstLine = 1) =>
  format === "csv" ? new CsvRecordSplitter(firstLine) : new LineSplitter(firstLine);

/** A record with nothing but spaces is no row, in the count as in the job. */
export const isBlank = (record: CsvRecord) => record.text.trim() === "";

/**
 * Where the last whole record of a chunk ends (just past its line break), 0 if none does. A CSV
 * line break inside quotes is not an end; the chunk starts at a record's start, outside quotes.
 * Quote and line feed bytes never occur inside a multi-byte UTF-8 character, so bytes suffice.
 */
export function lastRecordEnd(bytes: Uint8Array, format: ImportFormat): number {
  if (format === "ndjson") return bytes.lastIndexOf(10) + 1;
  let quoted = false;
  let end = 0;
  for (let i = 0; i < bytes.byteLength; i++) {
    const byte = bytes[i]!;
    if (byte === 34) quoted = !quoted;
    else if (byte === 10 && !quoted) end = i + 1;
  }
  return end;
}
