// The import job reads a file in byte chunks cut at the last whole record, each chunk split on its
// own from the line where the last one stopped: whatever the chunk size, that gives the records
// (text and starting line) of splitting the whole file at once, in CSV (quoted line breaks,
// multi-byte characters) as in NDJSON.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvRecord } from "../../src/files/csv-write.ts";
import { type ImportFormat, lastRecordEnd, splitterFor } from "../../src/imports/records.ts";

/** The job's way: chunks of at most `chunk` bytes, each cut at its last record end. */
function chunked(bytes: Uint8Array, format: ImportFormat, chunk: number) {
  const records = [];
  let [offset, line] = [0, 1];
  while (offset < bytes.byteLength) {
    const piece = bytes.subarray(offset, offset + chunk);
    const last = offset + piece.byteLength >= bytes.byteLength;
    const cut = last ? piece.byteLength : lastRecordEnd(piece, format);
    if (cut === 0) return null; // a record longer than a chunk: the job fails the import
    const splitter = splitterFor(format, line);
    records.push(...splitter.push(new TextDecoder().decode(piece.subarray(0, cut))), ...(last ? splitter.end() : []));
    offset += cut;
    line = splitter.nextLine;
  }
  return records;
}

function whole(text: string, format: ImportFormat) {
  const splitter = splitterFor(format);
  return [...splitter.push(text), ...splitter.end()];
}

const text = fc.string({ unit: fc.constantFrom("a", "é", "😀", ",", '"', "\n", "\r\n", " ") });

describe("an import's chunks", () => {
  it("give a CSV's records, with their lines, whatever the chunk size", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(text, { minLength: 1, maxLength: 4 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 300 }),
        (rows, chunk) => {
          const file = rows.map((cells) => csvRecord(cells)).join("");
          const records = chunked(new TextEncoder().encode(file), "csv", chunk);
          if (records !== null) expect(records).toEqual(whole(file, "csv"));
        },
      ),
    );
  });

  it("give NDJSON's lines, with their numbers, whatever the chunk size", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", "é", "😀", "\r", " ") }), { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 200 }),
        (lines, endsWithBreak, chunk) => {
          const file = lines.join("\n") + (endsWithBreak ? "\n" : "");
          const records = chunked(new TextEncoder().encode(file), "ndjson", chunk);
          if (records !== null) expect(records).toEqual(whole(file, "ndjson"));
        },
      ),
    );
  });

  it("fail only when a record is longer than a chunk", () => {
    const file = new TextEncoder().encode("short\na much longer line\nx\n");
    expect(chunked(file, "ndjson", 10)).toBeNull();
    expect(chunked(file, "ndjson", 19)).toHaveLength(3);
  });
});
