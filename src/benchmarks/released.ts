/**
 * A released cohort as KV holds it for reading: noised figures only (the noised seller count and
 * each metric's bands with their 90% intervals), fixed once made and written to KV only after the
 * run that made it is committed to D1. Shared by the release job (writes) and the serving code
 * (reads); nothing here is per seller.
 */
import type { Metric } from "./privacy/bins.ts";
import type { Interval90 } from "./privacy/interval.ts";
import type { Bands } from "./privacy/quantiles.ts";

type PublishedBands = Bands & { interval90: Interval90 };

export interface ReleasedCohort {
  release_id: string;
  released_at: string;
  period: { from: string; to: string };
  cohort: { level: string; category: string | null; region: string | null; size_band: string | null; sellers: number };
  /** The privacy loss of the run that made it, for any one seller: (ε, δ) from the settings only. */
  epsilon: number;
  delta: number;
  mechanism: string;
  /** Bands per metric; a metric too few members have is left out. */
  metrics: Partial<Record<Metric, PublishedBands>>;
}

/** The platform's latest published run: which period, and when it was released. */
export interface LatestRun {
  released_at: string;
  period: { from: string; to: string };
}

export const releaseKey = (releaseId: string) => `bench-release:${releaseId}`;
export const latestRunKey = (platform: string) => `bench-latest:${platform}`;
