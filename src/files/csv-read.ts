/**
 * Reading CSV (RFC 4180, with LF or CRLF line ends): records cut from text that arrives in
 * pieces, a quoted cell's line breaks and doubled quotes kept, and each record split into
 * cells. A record also says on which line it starts, for error messages.
 */

export interface CsvRecord {
  /** The record's text, without its line end. */
  text: string;
  /** The 1-based line it starts on. */
  line: number;
}

/**
 * Cuts text into records, keeping what is left of an unfinished one for the next piece. A quote
 * opens a quoted stretch and the next quote closes it (a doubled quote closes and reopens it,
 * which leaves the state as it was), so a line break counts as a record's end only outside one.
 */
export class CsvRecordSplitter {
  private pending = "";
  private quoted = false;
  private line: number;
  private startLine: number;

  constructor(firstLine = 1) {
    this.line = firstLine;
    this.startLine = firstLine;
  }

  /** The records completed by `piece`. */
  push(piece: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    let start = 0;
    const text = this.pending + piece;
    // Scan only the new piece: the pending text was already scanned (its state is kept).
    for (let i = this.pending.length; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char === 34 /* " */) this.quoted = !this.quoted;
      else if (char === 10 /* \n */) {
        if (!this.quoted) {
          const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
          records.push({ text: text.slice(start, end), line: this.startLine });
          start = i + 1;
          this.startLine = this.line + 1;
        }
        this.line++;
      }
    }
    this.pending = text.slice(start);
    return records;
  }

  /** The last record, if the text did not end with a line break. */
  end(): CsvRecord[] {
    const rest = this.pending.endsWith("\r") ? this.pending.slice(0, -1) : this.pending;
    this.pending = "";
    return rest === "" ? [] : [{ text: rest, line: this.startLine }];
  }

  /** The line the next record starts on. */
  get nextLine(): number {
    return this.startLine;
  }

  /** Characters of the unfinished record held back. */
  get pendingLength(): number {
    return this.pending.length;
  }
}

/** A record's cells; null when its quotes are malformed (text after a closing quote, or none). */
export function csvCells(record: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (record.charCodeAt(i) === 34) {
      let cell = "";
      i++;
      for (;;) {
        const close = record.indexOf('"', i);
        if (close === -1) return null;
        cell += record.slice(i, close);
        if (record.charCodeAt(close + 1) === 34) {
          cell += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      cells.push(cell);
      if (i === record.length) return cells;
      if (record.charCodeAt(i) !== 44) return null;
      i++;
    } else {
      const comma = record.indexOf(",", i);
      const cell = record.slice(i, comma === -1 ? record.length : comma);
      if (cell.includes('"')) return null;
      cells.push(cell);
      if (comma === -1) return cells;
      i = comma + 1;
    }
  }
}
