/**
 * `node scripts/admin.ts set-allowance <platform> <name> <value|default>`: sets one of a platform's
 * allowances (or puts it back to wrangler.toml's default) in D1, with an audit row (actor "admin",
 * action allowance.changed, "<name> <before> → <after>"), read at GET /v1/ops/audit. Every Worker
 * isolate applies it within a minute (it keeps a platform's allowances that long).
 */

import { quote } from "../src/db/admin-sql.ts";
import { type AllowanceName, defaultAllowances } from "../src/db/allowances.ts";
import { isAllowance, setAllowanceSql } from "../src/limits/allowance-sql.ts";
import { d1, wranglerConfig } from "./local-stack.ts";

export async function setAllowanceCommand(
  platform: string,
  name: string,
  raw: string,
  location: string[],
): Promise<void> {
  if (!isAllowance(name)) throw new Error(`no allowance ${name}`);
  if (raw !== "default" && !/^\d+$/.test(raw)) throw new Error(`${name} is a whole number, or "default"`);
  const value = raw === "default" ? null : Number(raw);
  const [found, own] = d1(
    `SELECT 1 FROM platforms WHERE id = ${quote(platform)}; SELECT value FROM platform_allowances WHERE platform_id = ${quote(platform)} AND name = ${quote(name)}`,
    location,
  );
  if (found?.length !== 1) {
    console.error(`no platform ${platform} (create it first)`);
    process.exitCode = 1;
    return;
  }
  const defaults = defaultAllowances((await wranglerConfig()).vars);
  const shown = (v: number | null) => (v === null ? `default (${defaults[name as AllowanceName]})` : String(v));
  const before = own?.[0] ? Number(own[0].value) : null;
  const now = new Date().toISOString();
  d1(setAllowanceSql({ platform, name, value, before: shown(before), now }).join("; "), location);
  console.log(
    `platform ${platform}: ${name} ${shown(before)} → ${shown(value)}; every Worker applies it within a minute`,
  );
}
