/**
 * A platform's imports against its allowances: imports queued or running at once
 * (imports_at_once) and bytes imported per UTC day (import_bytes_per_day). Checked before an upload
 * is read (so a refused one costs nothing), while it streams (past the day's bytes it stops), and
 * once more in the insert that records it, so that two uploads at once cannot both take the last
 * place. Never reads or writes another platform's rows.
 */
import type { Allowances } from "../db/allowances.ts";
import { limitReached } from "../http/errors.ts";
import { DAY_MS } from "../metrics/counters.ts";

/** What an upload may still take: the day's bytes left, and the limits the insert checks again. */
export interface ImportAllowance {
  atOnce: number;
  bytesPerDay: number;
  bytesLeft: number;
  /** The start of the UTC day (ISO), from which bytes are counted. */
  dayStart: string;
}

/** ?1 platform, ?2 the day's start: imports queued or running, and bytes imported since. */
const USAGE = `SELECT
  (SELECT COUNT(*) FROM imports WHERE platform_id = ?1 AND state IN ('queued', 'running')) AS running,
  (SELECT COALESCE(SUM(bytes), 0) FROM imports WHERE platform_id = ?1 AND created_at >= ?2) AS bytes`;

/**
 * The condition the insert of an import (?2 platform, ?5 its bytes) is made under:
 * ?8 imports at once, ?9 the day's start, ?10 bytes a day.
 */
export const WITHIN_ALLOWANCE = `
  (SELECT COUNT(*) FROM imports WHERE platform_id = ?2 AND state IN ('queued', 'running')) < ?8
  AND (SELECT COALESCE(SUM(bytes), 0) FROM imports WHERE platform_id = ?2 AND created_at >= ?9) + ?5 <= ?10`;

/** What a new import may take now, or 409 limit_reached when it may take nothing. */
export async function importAllowance(
  db: D1Database,
  platform: string,
  {
    imports_at_once: atOnce,
    import_bytes_per_day: bytesPerDay,
  }: Pick<Allowances, "imports_at_once" | "import_bytes_per_day">,
  nowMs = Date.now(),
): Promise<ImportAllowance> {
  const dayStart = new Date(Math.floor(nowMs / DAY_MS) * DAY_MS).toISOString();
  const usage = await db.prepare(USAGE).bind(platform, dayStart).first<{ running: number; bytes: number }>();
  if ((usage?.running ?? 0) >= atOnce) throw tooManyAtOnce(atOnce);
  const bytesLeft = bytesPerDay - (usage?.bytes ?? 0);
  if (bytesLeft <= 0) throw tooManyBytes(bytesPerDay);
  return { atOnce, bytesPerDay, bytesLeft, dayStart };
}

export const tooManyAtOnce = (limit: number) =>
  limitReached(
    "imports_at_once",
    limit,
    `This platform has its allowance of ${limit} imports queued or running; upload again once one is done`,
  );

export const tooManyBytes = (limit: number) =>
  limitReached(
    "import_bytes_per_day",
    limit,
    `Over this platform's allowance of ${limit} bytes imported per UTC day; upload again tomorrow`,
  );
