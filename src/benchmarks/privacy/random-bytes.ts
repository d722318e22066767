/**
 * The one way randomness enters the privacy code: bytes from `crypto.getRandomValues`, read
 * through a buffer, and uniform integers drawn from them by rejection. Never a floating-point
 * generator: a biased or predictable draw here would void every guarantee downstream.
 */

/** Fills `into` with uniformly random bytes; `crypto.getRandomValues` unless a test substitutes it. */
export type RandomBytes = (into: Uint8Array) => void;

/** The next uniformly random byte (0–255). */
export type ByteSource = () => number;

export const cryptoBytes: RandomBytes = (into) => {
  crypto.getRandomValues(into);
};

/** `crypto.getRandomValues` allows at most 65,536 bytes per call. */
const MAX_CHUNK = 65_536;

/**
 * A byte source that refills a buffer from `fill` `chunk` bytes at a time, so that drawing
 * millions of small integers costs thousands of calls to the system's generator, not millions.
 */
export function byteSource(fill: RandomBytes = cryptoBytes, chunk = 4_096): ByteSource {
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > MAX_CHUNK) throw new RangeError(`chunk ${chunk}`);
  const buffer = new Uint8Array(chunk);
  let next = chunk;
  return () => {
    if (next === chunk) {
      fill(buffer);
      next = 0;
    }
    return buffer[next++]!;
  };
}

/** Integers up to 2^48 are drawn exactly from 6 bytes; larger ranges are not needed. */
export const MAX_UNIFORM = 2 ** 48;

/**
 * A uniform integer in [0, m): the fewest whole bytes that cover m − 1, the top byte masked
 * to the smallest power of two above it, redrawn when the result is ≥ m (each try succeeds
 * with probability > 1/2). Exact: no modulo bias, no floating point.
 */
export function uniformBelow(m: number, next: ByteSource): number {
  if (!Number.isSafeInteger(m) || m < 1 || m > MAX_UNIFORM) throw new RangeError(`uniform range ${m}`);
  if (m === 1) return 0;
  const max = m - 1;
  let bytes = 1;
  let span = 256;
  while (span <= max) {
    bytes++;
    span *= 256;
  }
  // The top byte's mask: the smallest 2^b − 1 that, above the lower bytes, covers max.
  const top = Math.floor(max / (span / 256));
  let mask = 1;
  while (mask <= top) mask *= 2;
  mask -= 1;
  for (;;) {
    let value = next() & mask;
    for (let i = 1; i < bytes; i++) value = value * 256 + next();
    if (value < m) return value;
  }
}

/**
 * A uniform big integer in [0, m), for the rationals of the discrete Gaussian whose denominators
 * pass 2^48: whole bytes as in uniformBelow, the top one masked, redrawn at or above m.
 */
export function uniformBelowBig(m: bigint, next: ByteSource): bigint {
  if (m < 1n) throw new RangeError(`uniform range ${m}`);
  if (m <= BigInt(MAX_UNIFORM)) return BigInt(uniformBelow(Number(m), next));
  const max = m - 1n;
  let bytes = 0;
  while (max >> BigInt(8 * bytes) > 0n) bytes++;
  const top = max >> BigInt(8 * (bytes - 1));
  let mask = 1n;
  while (mask <= top) mask <<= 1n;
  mask -= 1n;
  for (;;) {
    let value = BigInt(next()) & mask;
    for (let i = 1; i < bytes; i++) value = (value << 8n) | BigInt(next());
    if (value < m) return value;
  }
}
