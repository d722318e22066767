/**
 * A small seeded PRNG (mulberry32) and the distributions the simulator draws from.
 * Deterministic for a seed, so a load run and its expected totals can be reproduced.
 * Never Math.random: the same seed must give the same events in Node and in workerd.
 */
export interface Random {
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** An index drawn from cumulative weights (see `cumulative`), in O(log n). */
  index(cumulativeWeights: readonly number[]): number;
  pareto(alpha: number, min: number): number;
  exponential(mean: number): number;
  poisson(mean: number): number;
}

export function random(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted(items) {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    index(cumulativeWeights) {
      const r = next() * cumulativeWeights[cumulativeWeights.length - 1]!;
      let lo = 0;
      let hi = cumulativeWeights.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulativeWeights[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
    pareto: (alpha, min) => min / (1 - next()) ** (1 / alpha),
    exponential: (mean) => -Math.log(1 - next()) * mean,
    poisson(mean) {
      if (mean <= 0) return 0;
      if (mean > 30) {
        // Normal approximation (Box–Muller): exact enough for busy hours, and O(1).
        const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
        return Math.max(0, Math.round(mean + z * Math.sqrt(mean)));
      }
      const limit = Math.exp(-mean);
      let count = 0;
      for (let p = next(); p > limit; p *= next()) count++;
      return count;
    },
  };
}

/** Running sums of weights, for `Random.index`. */
export function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/**
 * A 32-bit seed from several integers (a murmur3-style mix), so that every store and every
 * hour gets its own stream: one hour's events do not depend on which other hours were drawn.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Split into 32-bit halves so that epoch hours and large seeds mix in full.
    for (const word of [part >>> 0, Math.floor(part / 4294967296) >>> 0]) {
      let k = Math.imul(word, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
