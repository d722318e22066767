/**
 * The UTF-8 size of a string without encoding it: the 1 MiB limit counts bytes, and batching
 * measures every event, so this must not allocate.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII
const NON_ASCII = /[^\u0000-\u007f]/;

export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length; // most events: a native scan, one byte a character
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4; // a surrogate pair: one code point of four bytes
        i++;
      } else bytes += 3; // a lone surrogate is encoded as U+FFFD
    } else bytes += 3;
  }
  return bytes;
}
