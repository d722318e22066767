/**
 * SQL for `node scripts/admin.ts set-allowance` (and the tests' set-up): a platform's own value of
 * one allowance, or back to wrangler.toml's default, with the audit row that says what changed.
 * Checked before it is written: an unknown allowance or a value out of its range is refused.
 */

import { auditSql, PLATFORM_ID, quote } from "../db/admin-sql.ts";
import { ALLOWANCES, type AllowanceName, allowanceProblem } from "../db/allowances.ts";

export const isAllowance = (name: string): name is AllowanceName => Object.hasOwn(ALLOWANCES, name);

/**
 * The statements that set the platform's `name` to `value` (null: back to the default), and audit it
 * as `allowance.changed` with `before` → after (each a number, or "default").
 */
export function setAllowanceSql(args: {
  platform: string;
  name: string;
  value: number | null;
  before: string;
  now: string;
}): string[] {
  const { platform, name, value, now } = args;
  if (!PLATFORM_ID.test(platform)) throw new Error("a platform id is lowercase letters, digits and dashes");
  if (!isAllowance(name)) throw new Error(`no allowance ${name}; they are ${Object.keys(ALLOWANCES).join(", ")}`);
  const problem = value === null ? null : allowanceProblem(name, value);
  if (problem) throw new Error(problem);
  const change =
    value === null
      ? `DELETE FROM platform_allowances WHERE platform_id = ${quote(platform)} AND name = ${quote(name)}`
      : `INSERT INTO platform_allowances (platform_id, name, value, updated_at) VALUES (${quote(platform)}, ${quote(name)}, ${value}, ${quote(now)})
         ON CONFLICT (platform_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
  const subject = `${name} ${args.before} → ${value ?? "default"}`;
  return [change, auditSql(platform, "allowance.changed", subject, now)];
}
