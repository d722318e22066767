import type { ReportKind } from "./report-sql.ts";

/** Where a platform's report of a day and kind is in R2. */
export const reportKey = (platform: string, date: string, kind: ReportKind) =>
  `reports/${platform}/${date}/${kind}.csv`;
