/**
 * Events as the files POST /v1/imports takes: NDJSON (one event per line) and CSV (the columns
 * of src/imports/columns.ts, `items` as a JSON cell). Cells are as they are, not made
 * spreadsheet-safe: an import's CSV is data for SellerPulse, not a report for a person.
 */

import type { SellerEventInput } from "../src/events/schema.ts";
import { quotedCell } from "../src/files/csv-write.ts";
import { CSV_COLUMNS } from "../src/imports/columns.ts";

export const toNdjson = (events: readonly unknown[]): string => events.map((e) => `${JSON.stringify(e)}\n`).join("");

/** One event's CSV row, without its line end. */
export function csvRow(event: SellerEventInput): string {
  const fields = event as Record<string, unknown>;
  return CSV_COLUMNS.map((column) => {
    const value = fields[column];
    if (value === undefined) return "";
    return quotedCell(typeof value === "object" ? JSON.stringify(value) : String(value));
  }).join(",");
}

export const toCsv = (events: readonly SellerEventInput[]): string =>
  `${[CSV_COLUMNS.join(","), ...events.map(csvRow)].join("\r\n")}\r\n`;
