/**
 * SQL for the admin commands (scripts/admin.ts) and the test set-up: creating a platform and
 * an API key, revoking a key, setting a platform's seller quota (its thresholds: alerts/set-thresholds.ts). Only the key's SHA-256 hash is stored. Idempotent, so `npm start` may re-run it.
 */
export const PLATFORM_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** PLATFORM_ID's longest: a longer one names no platform. */
export const MAX_PLATFORM_ID_CHARS = 63;
export const CURRENCY = /^[A-Z]{3}$/;

/** A text as an SQL string literal. */
export const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

export function createPlatformSql(args: {
  id: string;
  currency: string;
  keyHash: string;
  label: string;
  now: string;
}): string[] {
  if (!PLATFORM_ID.test(args.id)) throw new Error("a platform id is lowercase letters, digits and dashes");
  if (!CURRENCY.test(args.currency)) throw new Error("a currency is an ISO 4217 code such as USD");
  if (!/^[0-9a-f]{64}$/.test(args.keyHash)) throw new Error("a key hash is 64 hex digits");
  return [
    `INSERT INTO platforms (id, name, currency, created_at) VALUES (${quote(args.id)}, ${quote(args.id)}, ${quote(args.currency)}, ${quote(args.now)}) ON CONFLICT (id) DO NOTHING`,
    `INSERT INTO api_keys (key_hash, platform_id, label, created_at) VALUES (${quote(args.keyHash)}, ${quote(args.id)}, ${quote(args.label)}, ${quote(args.now)}) ON CONFLICT (key_hash) DO NOTHING`,
  ];
}

export function revokeKeySql(keyHash: string, now: string): string {
  if (!/^[0-9a-f]{64}$/.test(keyHash)) throw new Error("a key hash is 64 hex digits");
  return `UPDATE api_keys SET revoked_at = ${quote(now)} WHERE key_hash = ${quote(keyHash)} AND revoked_at IS NULL`;
}

/**
 * Voids every session the key began (src/auth/session-revocations.ts, kind "key"): run with the
 * key's revocation. `nowMs`: ms since the epoch.
 */
export function voidKeySessionsSql(keyHash: string, nowMs: number): string {
  if (!/^[0-9a-f]{64}$/.test(keyHash)) throw new Error("a key hash is 64 hex digits");
  if (!Number.isSafeInteger(nowMs)) throw new Error("a time is whole milliseconds");
  return `INSERT INTO session_revocations (platform_id, kind, subject, revoked_at)
    SELECT platform_id, 'key', key_hash, ${nowMs} FROM api_keys WHERE key_hash = ${quote(keyHash)}
    ON CONFLICT (platform_id, kind, subject) DO UPDATE SET revoked_at = MAX(revoked_at, excluded.revoked_at)`;
}

/** How many sellers a platform may have (src/limits/seller-quota.ts); a raise takes effect at once. */
export function setSellerQuotaSql(platform: string, maxSellers: number): string {
  if (!PLATFORM_ID.test(platform)) throw new Error("a platform id is lowercase letters, digits and dashes");
  if (!Number.isSafeInteger(maxSellers) || maxSellers < 0) throw new Error("a quota is a whole number, 0 or more");
  return `UPDATE platforms SET max_sellers = ${maxSellers} WHERE id = ${quote(platform)}`;
}

/** The audit row of an admin command: `action` on `subject`, by "admin" (read at GET /v1/ops/audit). */
export function auditSql(platform: string, action: string, subject: string, now: string): string {
  if (!PLATFORM_ID.test(platform)) throw new Error("a platform id is lowercase letters, digits and dashes");
  return `INSERT INTO audit (platform_id, at, actor, action, subject) VALUES (${quote(platform)}, ${quote(now)}, 'admin', ${quote(action)}, ${quote(subject)})`;
}
