/**
 * UUIDv7 event ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter (method 1)
 * and 62 random bits, so that ids made in one process sort in the order they were made, even
 * within a millisecond or when the clock steps back.
 */

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** Random bytes drawn 4 KiB at a time: one getRandomValues call per 256 ids. */
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

let lastMs = -1;
let counter = 0;

export function uuidv7(nowMs: number = Date.now()): string {
  if (poolOffset + 16 > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;

  if (nowMs > lastMs) {
    lastMs = nowMs;
    // A random start in the lower half leaves at least 2,048 ids for the rest of the millisecond.
    counter = ((bytes[6]! & 0x07) << 8) | bytes[7]!;
  } else if (++counter > 0xfff) {
    lastMs++; // the counter ran out: borrow the next millisecond, as RFC 9562 allows
    counter = 0;
  }
  const high = Math.floor(lastMs / 2 ** 32);
  const low = lastMs >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = low >>> 24;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = 0x70 | (counter >>> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);

  let id = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) id += "-";
    id += HEX[bytes[i]!];
  }
  return id;
}
