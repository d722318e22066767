/**
 * Reproducible randomness for what must come out the same on every run (the intervals' bootstrap,
 * the utility bench's cohorts). Never for noise that protects: that is discrete-gaussian.ts's.
 */

/** SplitMix32: uniforms in [0, 1) from a seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

/** A standard normal draw (Box–Muller) from two of `u`'s uniforms. */
export function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}
