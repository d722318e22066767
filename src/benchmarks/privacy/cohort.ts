/**
 * Cohort rules: public GMV size bands, a seller's cohort at each level, and k. Widening (in
 * placement.ts) picks the narrowest level whose NOISED seller count reaches k: a threshold on
 * the true count would tell who is in a cohort.
 */

/** Minor units over the benchmark period, as the ledger counts them. */
type Minor = number;

/**
 * Public size bands by GMV in the period (minor units, lower bound inclusive): micro below
 * $1,000; small $1,000–$10,000; mid $10,000–$100,000; large $100,000–$1M; top $1M and above.
 */
export const SIZE_BANDS = [
  { band: "micro", from: 0 },
  { band: "small", from: 100_000 },
  { band: "mid", from: 1_000_000 },
  { band: "large", from: 10_000_000 },
  { band: "top", from: 100_000_000 },
] as const;

export type SizeBand = (typeof SIZE_BANDS)[number]["band"];

export function sizeBand(gmv: Minor): SizeBand {
  let band: SizeBand = SIZE_BANDS[0].band;
  for (const b of SIZE_BANDS) if (gmv >= b.from) band = b.band;
  return band;
}

/** Narrowest first: the order in which a seller's cohort is widened. */
export const LEVELS = ["category+region+size", "category+size", "size", "platform"] as const;

type Level = (typeof LEVELS)[number];

export interface CohortRef {
  readonly level: Level;
  readonly category: string | null;
  readonly region: string | null;
  readonly sizeBand: SizeBand | null;
  /** Unique across levels and values; the key of noised counts and releases. */
  readonly key: string;
}

export interface CohortSeller {
  readonly sellerId: string;
  readonly region: string;
  /** GMV in the period by category (minor units). */
  readonly gmvByCategory: Readonly<Record<string, Minor>>;
}

/** k's default, and the floor below which it is refused outside tests (docs/privacy.md). */
export const DEFAULT_K = 50;
export const K_FLOOR = 20;

export interface KOptions {
  /** Only tests may release cohorts smaller than K_FLOOR. */
  readonly belowFloorForTests?: boolean;
}

export function minimumCohortSize(k: number, options: KOptions = {}): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k < K_FLOOR && options.belowFloorForTests !== true) {
    throw new RangeError(`k = ${k} is below the floor of ${K_FLOOR}; only tests may go lower`);
  }
  return k;
}

/** The category with the most GMV in the period (ties: the first by name), or null with no GMV. */
export function mainCategory(gmvByCategory: Readonly<Record<string, Minor>>): string | null {
  let best: string | null = null;
  let bestGmv = 0;
  for (const category of Object.keys(gmvByCategory).sort()) {
    const gmv = gmvByCategory[category]!;
    if (gmv > bestGmv) {
      best = category;
      bestGmv = gmv;
    }
  }
  return best;
}

function cohortAt(level: Level, category: string | null, region: string | null, band: SizeBand | null): CohortRef {
  return { level, category, region, sizeBand: band, key: JSON.stringify([level, category, region, band]) };
}

/**
 * The seller's cohort at each level, narrowest first. A seller with no GMV in the period has
 * no main category, so it has only the `size` (micro) and `platform` levels.
 */
export function cohortsOf(seller: CohortSeller): CohortRef[] {
  const category = mainCategory(seller.gmvByCategory);
  const band = sizeBand(Object.values(seller.gmvByCategory).reduce((sum, gmv) => sum + gmv, 0));
  const levels: CohortRef[] = [];
  if (category !== null) {
    levels.push(cohortAt("category+region+size", category, seller.region, band));
    levels.push(cohortAt("category+size", category, null, band));
  }
  levels.push(cohortAt("size", null, null, band), cohortAt("platform", null, null, null));
  return levels;
}
