/**
 * Cuts NDJSON into lines as text arrives in pieces (LF or CRLF ends), each with its 1-based line
 * number; the same interface as CsvRecordSplitter, so an import reads either format alike.
 */
import type { CsvRecord } from "../files/csv-read.ts";

export class LineSplitter {
  private pending = "";
  private line: number;

  constructor(firstLine = 1) {
    this.line = firstLine;
  }

  push(piece: string): CsvRecord[] {
    const parts = (this.pending + piece).split("\n");
    this.pending = parts.pop()!;
    return parts.map((text) => ({ text: text.endsWith("\r") ? text.slice(0, -1) : text, line: this.line++ }));
  }

  end(): CsvRecord[] {
    const rest = this.pending.endsWith("\r") ? this.pending.slice(0, -1) : this.pending;
    this.pending = "";
    return rest === "" ? [] : [{ text: rest, line: this.line++ }];
  }

  get nextLine(): number {
    return this.line;
  }

  get pendingLength(): number {
    return this.pending.length;
  }
}
