/**
 * Rows passed to SQLite as a JSON array (read with json_each) travel as one bound string, and
 * Cloudflare documents 2 MB as the largest string SQLite in Durable Objects and D1 takes (the
 * local runtime accepts more, so only the splitting itself can be tested here). A batch for a
 * busy seller can be larger, so its rows go in as few arrays as fit.
 */

/** A UTF-16 code unit is at most 3 bytes of UTF-8: 600,000 of them stay under 2 MB. */
const MAX_JSON_CHARS = 600_000;

/** The rows as JSON arrays, in order, each at most `maxChars` long unless one row is longer alone. */
export function jsonChunks(rows: readonly unknown[], maxChars = MAX_JSON_CHARS): string[] {
  if (rows.length === 0) return [];
  const whole = JSON.stringify(rows);
  if (whole.length <= maxChars) return [whole]; // nearly always
  const chunks: string[] = [];
  let parts: string[] = [];
  let length = 2; // the brackets
  for (const row of rows) {
    const part = JSON.stringify(row);
    if (parts.length > 0 && length + 1 + part.length > maxChars) {
      chunks.push(`[${parts.join(",")}]`);
      parts = [];
      length = 2;
    }
    length += (parts.length > 0 ? 1 : 0) + part.length;
    parts.push(part);
  }
  if (parts.length > 0) chunks.push(`[${parts.join(",")}]`);
  return chunks;
}
