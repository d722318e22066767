/**
 * The statistics the privacy tests need, computed rather than looked up: chi-square critical
 * values (regularized incomplete gamma) and Clopper–Pearson bounds (regularized incomplete
 * beta), each inverted by bisection, and the tally of a sampler's draws. Test support only;
 * nothing here draws randomness but through the sampler it is handed.
 */

/** `n` draws of `draw`: how often each value came, their mean and their sample variance (÷ n). */
export function tallyDraws(draw: () => number, n: number) {
  const seen = new Map<number, number>();
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    seen.set(x, (seen.get(x) ?? 0) + 1);
    sum += x;
    sumSquares += x * x;
  }
  const mean = sum / n;
  return { seen, mean, sampleVariance: sumSquares / n - mean * mean };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9): about 15 significant digits. */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Q(a, x) = Γ(a, x)/Γ(a), the upper regularized incomplete gamma (series below a + 1, else continued fraction). */
export function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - front * sum;
  }
  // Lentz's continued fraction for Γ(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return front * h;
}

/** The x with P(χ²_df > x) = alpha. */
export function chiSquareCritical(df: number, alpha: number): number {
  let lo = 0;
  let hi = df + 100 * Math.sqrt(2 * df) + 200;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (upperGamma(df / 2, mid / 2) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** I_x(a, b), the regularized incomplete beta (continued fraction, Numerical Recipes' betacf). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** P(Binomial(n, p) ≥ k) = I_p(k, n − k + 1). */
function binomialAtLeast(k: number, n: number, p: number): number {
  return k <= 0 ? 1 : incompleteBeta(p, k, n - k + 1);
}

/**
 * One-sided Clopper–Pearson bounds for k successes in n trials: each holds with probability at
 * least 1 − beta. lower: the p with P(Bin(n, p) ≥ k) = beta; upper: the p with P(Bin(n, p) ≤ k) = beta.
 */
export function clopperPearson(k: number, n: number, beta: number): { lower: number; upper: number } {
  const solve = (f: (p: number) => number): number => {
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (f(mid) < beta) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const lower = k === 0 ? 0 : solve((p) => binomialAtLeast(k, n, p));
  const upper = k === n ? 1 : 1 - solve((p) => binomialAtLeast(n - k, n, p));
  return { lower, upper };
}

/**
 * Pearson's statistic of observed counts against expected probabilities over [−range, range],
 * each tail beyond it pooled into the nearest cell, and cells pooled from the left until each
 * expects at least 20; with the critical value for its degrees of freedom (cells − 1) at ALPHA.
 * `probability` is symmetric or vanishes outside the range, so each tail holds half the rest.
 */
export function chiSquareFit(
  observed: Map<number, number>,
  probability: (x: number) => number,
  draws: number,
  range: number,
  alpha: number,
) {
  let inRangeMass = 0;
  for (let x = -range; x <= range; x++) inRangeMass += probability(x);
  const tail = (draws * Math.max(0, 1 - inRangeMass)) / 2;
  const countWhere = (keep: (x: number) => boolean) =>
    [...observed].reduce((sum, [x, n]) => (keep(x) ? sum + n : sum), 0);
  const cells: { expected: number; observed: number }[] = [];
  let pending = { expected: tail, observed: countWhere((x) => x < -range) };
  for (let x = -range; x <= range; x++) {
    pending.expected += draws * probability(x);
    pending.observed += observed.get(x) ?? 0;
    if (pending.expected >= 20) {
      cells.push(pending);
      pending = { expected: 0, observed: 0 };
    }
  }
  const last = cells[cells.length - 1]!;
  last.expected += pending.expected + tail;
  last.observed += pending.observed + countWhere((x) => x > range);
  const statistic = cells.reduce((s, c) => s + (c.observed - c.expected) ** 2 / c.expected, 0);
  return { statistic, critical: chiSquareCritical(cells.length - 1, alpha), cells: cells.length };
}
