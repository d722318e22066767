// Rows for json_each, split to stay under SQLite's 2 MB per bound string.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonChunks } from "../../../src/db/json-chunks.ts";

describe("jsonChunks", () => {
  it("keeps every row, in order, in chunks no longer than asked (unless one row is longer alone)", () => {
    const row = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.integer({ min: 2, max: 200 }), (rows, maxChars) => {
        const chunks = jsonChunks(rows, maxChars);
        expect(chunks.flatMap((chunk) => JSON.parse(chunk) as unknown[])).toEqual(rows);
        for (const chunk of chunks) {
          const parsed = JSON.parse(chunk) as unknown[];
          if (parsed.length > 1) expect(chunk.length).toBeLessThanOrEqual(maxChars);
          expect(parsed.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it("sends a batch that fits as one array", () => {
    expect(
      jsonChunks([
        ["a", 1],
        ["b", 2],
      ]),
    ).toEqual(['[["a",1],["b",2]]']);
    expect(jsonChunks([])).toEqual([]);
  });
});
