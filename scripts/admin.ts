/**
 * Admin commands for platforms and keys, against the local D1 (default) or production (--remote).
 *   node scripts/admin.ts create-platform <id> --currency USD [--remote]   prints a new key once
 *   node scripts/admin.ts revoke-key <key> [--remote]
 * Only the SHA-256 of a key is stored; a lost key cannot be recovered, only replaced.
 */
import { parseArgs } from "node:util";
import { generateKey, sha256Hex } from "../src/auth/api-key.ts";
import { revokeKeySql } from "../src/db/admin-sql.ts";
import { createPlatform, wrangler } from "./local-stack.ts";

const USAGE = `usage:
  node scripts/admin.ts create-platform <id> --currency <ISO 4217> [--remote]
  node scripts/admin.ts revoke-key <key> [--remote]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { currency: { type: "string" }, remote: { type: "boolean", default: false } },
});
const [command, subject] = positionals;
const location = [values.remote ? "--remote" : "--local"];

try {
  if (command === "create-platform" && subject && values.currency) {
    const key = generateKey();
    await createPlatform({ id: subject, currency: values.currency, key, label: "admin", location });
    console.log(`platform ${subject} (${values.currency}) created; its key, shown only now:\n${key}`);
  } else if (command === "revoke-key" && subject) {
    const hash = await sha256Hex(subject);
    wrangler(["d1", "execute", "DB", ...location, "--command", revokeKeySql(hash, new Date().toISOString())]);
    console.log("key revoked (it stops working within a minute, when the Workers' caches expire)");
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
