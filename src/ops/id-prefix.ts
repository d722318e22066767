/**
 * The ids that start with a prefix, as a range of D1 text: [prefix, successor) in the order D1
 * compares text (its BINARY collation compares UTF-8 bytes, which is code point order). A range
 * on the raw id, so it walks an index; never a LIKE or GLOB, whose wildcards and case folding
 * would make "s_1" or "S-1" match ids that do not start with what was typed.
 */

const MAX_CODE_POINT = 0x10ffff;
const SURROGATES = { first: 0xd800, last: 0xdfff };

/**
 * The least string greater than every string that starts with `prefix`: the prefix with its last
 * code point raised by one (past the surrogates, which no UTF-8 text holds). Null when nothing is
 * greater (the prefix is empty or all U+10FFFF): then only the lower bound applies.
 */
export function prefixSuccessor(prefix: string): string | null {
  const points = Array.from(prefix, (ch) => ch.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < MAX_CODE_POINT) {
      const next = last + 1 === SURROGATES.first ? SURROGATES.last + 1 : last + 1;
      return String.fromCodePoint(...points, next);
    }
  }
  return null;
}
