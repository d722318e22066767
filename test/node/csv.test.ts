// CSV as the reports write it and the imports and the seller filter read it: any cells survive a
// round trip however the text is cut into pieces, and formulas never reach a spreadsheet.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvRecordSplitter, csvCells } from "../../src/files/csv-read.ts";
import { csvRecord, spreadsheetSafe, textCell } from "../../src/files/csv-write.ts";

/** Splits `text` at the given fractions and reads it back as records of cells. */
function read(text: string, cuts: number[]) {
  const splitter = new CsvRecordSplitter();
  const at = [...new Set(cuts.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const records = [];
  let from = 0;
  for (const to of [...at, text.length]) {
    records.push(...splitter.push(text.slice(from, to)));
    from = to;
  }
  records.push(...splitter.end());
  return records;
}

const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r", "=", "-", "+", "@", " ", "é") }),
  fc.integer({ min: -1e9, max: 1e9 }),
);

describe("CSV", () => {
  it("reads back what it writes, cut anywhere, with each record's first line", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        fc.boolean(),
        (rows, cuts, finalLineEnd) => {
          let text = rows.map((row) => csvRecord(row)).join("");
          // Without its line end, a last record of one empty cell is no record: CSV cannot tell.
          fc.pre(finalLineEnd || csvRecord(rows[rows.length - 1]!) !== "\r\n");
          if (!finalLineEnd) text = text.slice(0, -2);
          const records = read(text, cuts);
          expect(records.map((r) => csvCells(r.text))).toEqual(
            rows.map((row) => row.map((c) => (typeof c === "number" ? String(c) : spreadsheetSafe(c)))),
          );
          // A record starts on the line after the previous one's line breaks.
          let line = 1;
          for (const [i, record] of records.entries()) {
            expect(record.line).toBe(line);
            line += (record.text.match(/\n/g) ?? []).length + 1;
            if (i === records.length - 1) break;
          }
        },
      ),
    );
  });

  it("escapes text a spreadsheet would run, never numbers", () => {
    expect(textCell("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(textCell("-2+3")).toBe("'-2+3");
    expect(textCell("@cmd")).toBe("'@cmd");
    expect(textCell("\tx")).toBe("'\tx");
    expect(textCell('+a,"b"')).toBe(`"'+a,""b"""`);
    expect(csvRecord(["s-1", -250, 0])).toBe("s-1,-250,0\r\n");
    expect(textCell("'-2")).toBe("''-2");
  });

  it("names one value per escaped cell: two texts never share a cell, and one quote dropped reads it back", () => {
    const text = fc.string({ unit: fc.constantFrom("'", "=", "-", "+", "@", "\t", "a") });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const cell = spreadsheetSafe(a);
        expect(cell.startsWith("'") ? cell.slice(1) : cell).toBe(a);
        if (a !== b) expect(spreadsheetSafe(b)).not.toBe(cell);
      }),
    );
  });

  it("finds malformed quoting", () => {
    expect(csvCells('a,"b"c')).toBeNull();
    expect(csvCells('a,"b')).toBeNull();
    expect(csvCells('a,b"c')).toBeNull();
    expect(csvCells('"a""b",,c')).toEqual(['a"b', "", "c"]);
    expect(csvCells("")).toEqual([""]);
  });
});
