/**
 * Isotonic regression by pool-adjacent-violators: the non-decreasing sequence nearest (least
 * squares) to a noisy one. Post-processing of already-noised numbers only; never raw counts.
 */

/** The least-squares non-decreasing fit to `ys`, equal weights, in O(n). */
export function isotonicIncreasing(ys: readonly number[]): number[] {
  // Blocks of pooled neighbours, each its mean and size; a new value that breaks the order
  // merges backwards until the block means increase again.
  const means: number[] = [];
  const sizes: number[] = [];
  for (const y of ys) {
    let mean = y;
    let size = 1;
    while (means.length > 0 && means[means.length - 1]! > mean) {
      const prevMean = means.pop()!;
      const prevSize = sizes.pop()!;
      mean = (prevMean * prevSize + mean * size) / (prevSize + size);
      size += prevSize;
    }
    means.push(mean);
    sizes.push(size);
  }
  const fit: number[] = [];
  for (let i = 0; i < means.length; i++) {
    for (let j = 0; j < sizes[i]!; j++) fit.push(means[i]!);
  }
  return fit;
}
