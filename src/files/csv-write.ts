/**
 * Writing CSV (RFC 4180): a cell is quoted when it holds a comma, a quote or a line break, its
 * quotes doubled. Text that a spreadsheet would run as a formula (a cell starting with =, +, -,
 * @, a tab or a carriage return) is prefixed with a single quote, as OWASP advises, and so is
 * text that starts with a single quote already, so that a cell names one value only (drop one
 * leading quote to read it); numbers are written as they are, so a negative amount stays a number.
 */

const ESCAPED_START = /^[=+\-@\t\r']/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Text as a spreadsheet will not run it: prefixed with a quote if it starts like a formula or with a quote. */
export const spreadsheetSafe = (value: string): string => (ESCAPED_START.test(value) ? `'${value}` : value);

/** A cell as RFC 4180 has it: quoted, its quotes doubled, when it holds a comma, a quote or a line break. */
export const quotedCell = (value: string): string =>
  NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/** A text cell, safe to open in a spreadsheet. */
export const textCell = (value: string): string => quotedCell(spreadsheetSafe(value));

/** One record: text cells escaped, numbers as they are; ends with CRLF, as RFC 4180 has it. */
export function csvRecord(cells: readonly (string | number)[]): string {
  return `${cells.map((cell) => (typeof cell === "number" ? String(cell) : textCell(cell))).join(",")}\r\n`;
}
