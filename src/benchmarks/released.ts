/**
 * A released cohort as KV holds it for reading: noised figures only (the noised seller count and
 * each metric's bands), fixed once made. Shared by the release job (writes) and the serving code
 * (reads); nothing here is per seller.
 */
import type { Metric } from "./privacy/bins.ts";
import type { Bands } from "./privacy/quantiles.ts";

export interface ReleasedCohort {
  release_id: string;
  released_at: string;
  period: { from: string; to: string };
  cohort: { level: string; category: string | null; region: string | null; size_band: string | null; sellers: number };
  /** The privacy loss of this release for any one of its members (ε). */
  epsilon: number;
  mechanism: string;
  /** Bands per metric; a metric too few members have is left out. */
  metrics: Partial<Record<Metric, Bands>>;
}

/** The platform's latest run: which period, and when it was released. */
export interface LatestRun {
  released_at: string;
  period: { from: string; to: string };
}

export const releaseKey = (releaseId: string) => `bench-release:${releaseId}`;
export const latestRunKey = (platform: string) => `bench-latest:${platform}`;
