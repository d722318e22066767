/**
 * Placing sellers in cohorts level by level, so that each seller's data enters one noised count
 * per level it is tried at and exactly one release. At each level, the sellers not placed yet
 * are grouped by their cohort there; a group whose noised count reaches k is released and its
 * members placed; the rest are tried one level wider. Groups of a level are disjoint, so a
 * seller's data enters one count per level (parallel composition), and a cohort at a wider level
 * holds the sellers that needed widening. Decisions read noised counts only, never true ones.
 */
import { type CohortRef, type KOptions, LEVELS, minimumCohortSize } from "./cohort.ts";

export interface Candidate {
  readonly sellerId: string;
  /** The seller's cohort at each level it has one, narrowest first (cohortsOf). */
  readonly cohorts: readonly CohortRef[];
}

/** A cohort to release: its members (the sellers placed in it) and its noised count. */
interface PlacedCohort {
  readonly cohort: CohortRef;
  readonly members: string[];
  readonly noisedSellers: number;
}

export interface Placement {
  readonly cohorts: PlacedCohort[];
  /** For every seller: the key of the cohort it was placed in (null: suppressed) and the counts its data entered. */
  readonly sellers: Map<string, { readonly cohortKey: string | null; readonly counts: number }>;
}

/**
 * `draw(n)` noises a count of n sellers (ε_count); it is called once per group of each level.
 * Returns the cohorts to release, and each seller's place and how many counts it entered.
 */
export function placeByLevel(
  candidates: readonly Candidate[],
  draw: (count: number) => number,
  k: number,
  options: KOptions = {},
): Placement {
  const minimum = minimumCohortSize(k, options);
  const sellers = new Map<string, { cohortKey: string | null; counts: number }>(
    candidates.map((c) => [c.sellerId, { cohortKey: null, counts: 0 }]),
  );
  const cohorts: PlacedCohort[] = [];
  let remaining = [...candidates];
  for (const level of LEVELS) {
    const groups = new Map<string, { cohort: CohortRef; members: Candidate[] }>();
    for (const candidate of remaining) {
      const cohort = candidate.cohorts.find((c) => c.level === level);
      if (!cohort) continue; // no cohort at this level (no main category): tried at the next
      const group = groups.get(cohort.key) ?? { cohort, members: [] };
      group.members.push(candidate);
      groups.set(cohort.key, group);
    }
    const placed = new Set<string>();
    for (const { cohort, members } of [...groups.values()].sort((a, b) => (a.cohort.key < b.cohort.key ? -1 : 1))) {
      for (const m of members) sellers.get(m.sellerId)!.counts += 1;
      const noisedSellers = draw(members.length);
      if (noisedSellers < minimum) continue;
      const ids = members.map((m) => m.sellerId);
      cohorts.push({ cohort, members: ids, noisedSellers });
      for (const id of ids) {
        sellers.get(id)!.cohortKey = cohort.key;
        placed.add(id);
      }
    }
    remaining = remaining.filter((c) => !placed.has(c.sellerId));
  }
  return { cohorts, sellers };
}
