/**
 * Admin commands for platforms and keys, against the local D1 (default) or production (--remote).
 *   node scripts/admin.ts create-platform <id> --currency USD [--remote]   prints a new key once
 *   node scripts/admin.ts revoke-key <key> [--remote]
 *   node scripts/admin.ts set-thresholds <platform> [--sla-compliance-min 0.9 ...] [--remote]
 *   node scripts/admin.ts rebuild-seller <platform> <seller> [--url U] [--remote]
 *   node scripts/admin.ts set-seller-quota <platform> <n> [--remote]
 *   node scripts/admin.ts set-allowance <platform> <name> <value|default> [--remote]
 * Only the SHA-256 of a key is stored; a lost key cannot be recovered, only replaced
 * (create-platform on an existing platform, same currency, adds a key to it).
 */
import { parseArgs } from "node:util";
import { setThresholdsSql } from "../src/alerts/set-thresholds.ts";
import { DEFAULT_THRESHOLDS, type Thresholds } from "../src/alerts/thresholds.ts";
import { generateKey, sha256Hex } from "../src/auth/api-key.ts";
import {
  CURRENCY,
  PLATFORM_ID,
  quote,
  revokeKeySql,
  setSellerQuotaSql,
  voidKeySessionsSql,
} from "../src/db/admin-sql.ts";
import { createPlatform, d1 } from "./local-stack.ts";
import { rebuildSellerCommand } from "./rebuild-seller.ts";
import { setAllowanceCommand } from "./set-allowance.ts";

const USAGE = `usage:
  node scripts/admin.ts create-platform <id> --currency <ISO 4217, e.g. USD> [--remote]
      creates the platform (or adds a key to an existing one) and prints its new key, once
  node scripts/admin.ts revoke-key <key> [--remote]
      revokes that key; it stops working within a minute, and the sessions it minted within seconds
  node scripts/admin.ts set-thresholds <platform> [--sla-compliance-min <0..1>] [--min-shipped <n>]
      [--seller-cancellation-rate-max <0..1>] [--min-orders <n>] [--avg-rating-min <1..5>] [--min-ratings <n>] [--remote]
      sets the platform's alert thresholds: those given, the defaults for the rest
      (defaults: 0.95, 20, 0.025, 20, 3.5, 20); ledgers read them within 10 minutes
  node scripts/admin.ts rebuild-seller <platform> <seller> [--url <the Worker's URL>] [--remote]
      replays the seller's archived events into a scratch ledger and says whether its summary
      equals the live one (exit 0) or where they differ (exit 1); --url defaults to npm start's
  node scripts/admin.ts set-seller-quota <platform> <n> [--remote]
      how many sellers the platform may have (default 100,000); events for a seller past it are rejected
  node scripts/admin.ts set-allowance <platform> <name> <value|default> [--remote]
      sets one of the platform's allowances (default: wrangler.toml's ALLOWANCE_<NAME>), audited; names:
      ingest_events_per_10s, reads_per_10s, sessions_per_10s, imports_at_once, import_bytes_per_day,
      rebuilds_at_once, webhooks, categories, live_sockets_per_seller (docs/operations.md, "Allowances")
Without --remote, all act on the local D1 that \`npm start\` uses (.wrangler/state).`;

function usage(problem?: string): void {
  if (problem) console.error(`${problem}\n`);
  console.error(USAGE);
  process.exitCode = 2;
}

async function createPlatformCommand(id: string, currency: string, location: string[]): Promise<void> {
  if (!PLATFORM_ID.test(id))
    return usage(`"${id}" is not a platform id: lowercase letters, digits and dashes, up to 63`);
  if (!CURRENCY.test(currency)) return usage(`"${currency}" is not an ISO 4217 currency code such as USD`);
  const [existing] = d1(`SELECT currency FROM platforms WHERE id = ${quote(id)}`, location)[0] ?? [];
  if (existing && existing.currency !== currency) {
    console.error(
      `platform ${id} already exists and settles in ${String(existing.currency)}; its currency cannot change`,
    );
    process.exitCode = 1;
    return;
  }
  const key = generateKey();
  await createPlatform({ id, currency, key, label: "admin", location });
  console.log(
    existing
      ? `platform ${id} (${currency}) already existed; a new key for it, shown only now:`
      : `platform ${id} (${currency}) created; its key, shown only now:`,
  );
  console.log(key);
}

async function revokeKeyCommand(key: string, location: string[]): Promise<void> {
  const hash = await sha256Hex(key);
  const now = new Date();
  d1(revokeKeySql(hash, now.toISOString()), location);
  d1(voidKeySessionsSql(hash, now.getTime()), location);
  const [row] = d1(`SELECT platform_id, revoked_at FROM api_keys WHERE key_hash = ${quote(hash)}`, location)[0] ?? [];
  if (!row) {
    console.error("no such key (nothing revoked)");
    process.exitCode = 1;
    return;
  }
  console.log(
    `key of platform ${String(row.platform_id)} revoked at ${String(row.revoked_at)}; it stops working within a minute (the Workers cache keys that long), and every session it minted within seconds`,
  );
}

/** Sets the platform's own thresholds: those given, the defaults for the rest. */
function setThresholdsCommand(platform: string, given: { [option: string]: unknown }, location: string[]): void {
  if (!PLATFORM_ID.test(platform)) {
    usage(`"${platform}" is not a platform id`);
    return;
  }
  if (d1(`SELECT 1 FROM platforms WHERE id = ${quote(platform)}`, location)[0]?.length !== 1) {
    console.error(`no platform ${platform} (create it first)`);
    process.exitCode = 1;
    return;
  }
  const thresholds = { ...DEFAULT_THRESHOLDS };
  for (const [option, field] of Object.entries(THRESHOLD_OPTIONS)) {
    const value = given[option];
    if (typeof value === "string") thresholds[field] = value.trim() === "" ? Number.NaN : Number(value);
  }
  d1(setThresholdsSql(platform, thresholds, new Date().toISOString()), location);
  console.log(`thresholds of ${platform}: ${JSON.stringify(thresholds)} (ledgers read them within 10 minutes)`);
}

/** The options of set-thresholds, and the threshold each sets. */
const THRESHOLD_OPTIONS = {
  "sla-compliance-min": "slaComplianceMin",
  "min-shipped": "minShipped",
  "seller-cancellation-rate-max": "sellerCancellationRateMax",
  "min-orders": "minOrders",
  "avg-rating-min": "avgRatingMin",
  "min-ratings": "minRatings",
} as const satisfies Record<string, keyof Thresholds>;

try {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      currency: { type: "string" },
      remote: { type: "boolean", default: false },
      url: { type: "string" },
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(Object.keys(THRESHOLD_OPTIONS).map((o) => [o, { type: "string" as const }])),
    },
  });
  const [command, subject, ...rest] = positionals;
  // rebuild-seller and set-seller-quota take a second positional: the seller, the quota;
  // set-allowance a second and a third: the allowance and its value.
  const [second, ...extra] =
    command === "rebuild-seller" || command === "set-seller-quota" || command === "set-allowance"
      ? rest
      : [undefined, ...rest];
  const third = command === "set-allowance" ? extra.shift() : undefined;
  const seller = second;
  const location = [values.remote ? "--remote" : "--local"];
  if (values.help) usage();
  else if (extra.length > 0) usage(`unexpected arguments: ${extra.join(" ")}`);
  else if (command === "create-platform" && subject && values.currency)
    await createPlatformCommand(subject, values.currency, location);
  else if (command === "create-platform") usage("create-platform needs an id and --currency");
  else if (command === "revoke-key" && subject) await revokeKeyCommand(subject, location);
  else if (command === "revoke-key") usage("revoke-key needs the key to revoke");
  else if (command === "set-thresholds" && subject) setThresholdsCommand(subject, values, location);
  else if (command === "set-thresholds") usage("set-thresholds needs the platform's id");
  else if (command === "rebuild-seller" && subject && seller) {
    if (values.remote && !values.url) usage("rebuild-seller --remote needs --url, the deployed Worker's URL");
    else await rebuildSellerCommand(subject, seller, values.url ?? "http://127.0.0.1:8787", location);
  } else if (command === "rebuild-seller") usage("rebuild-seller needs the platform's id and the seller's");
  else if (command === "set-seller-quota" && subject && second && /^\d+$/.test(second)) {
    d1(setSellerQuotaSql(subject, Number(second)), location);
    console.log(`platform ${subject} may have ${Number(second)} sellers (events for a seller past that are rejected)`);
  } else if (command === "set-seller-quota") usage("set-seller-quota needs the platform's id and a whole number");
  else if (command === "set-allowance" && subject && second && third)
    await setAllowanceCommand(subject, second, third, location);
  else if (command === "set-allowance") usage("set-allowance needs the platform's id, an allowance and a value");
  else usage(command ? `unknown command: ${command}` : undefined);
} catch (error) {
  // parseArgs rejects unknown options; wrangler failures carry their own output.
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) usage(message);
  else {
    console.error(message);
    process.exitCode = 1;
  }
}
