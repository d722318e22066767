/**
 * Session revocations: a platform voids its sessions by subject (one seller's, its operator's,
 * everyone's), and revoking a platform key voids every session that key began. A revocation is
 * a row (platform, kind, subject, revoked_at): a session token minted before revoked_at is void,
 * and one whose chain a revoked key began is void whenever it was minted. Subjects are matched
 * exactly, never transformed. A token lives at most an hour, so rows are kept two (the key cache's
 * minute and more): each revocation deletes its platform's older rows, and reads skip them.
 * Reads go through a per-isolate copy of a platform's rows, read again after CACHE_MS; the isolate
 * that revokes knows at once. With D1 down, a copy up to MAX_STALE_MS old is used; older, the read fails.
 */
import type { Principal } from "./principal.ts";
import { SESSION_TTL_SECONDS } from "./session-tokens.ts";

export type RevocationKind = "everyone" | "operator" | "seller" | "key";

/** A platform's live revocations: revoked_at by [kind, subject]. */
export type Revocations = ReadonlyMap<string, number>;
const rowKey = (kind: RevocationKind, subject: string) => JSON.stringify([kind, subject]);

/** How long a row can still void a live token. */
const KEPT_MS = 2 * SESSION_TTL_SECONDS * 1000;
const CACHE_MS = 5_000;
const MAX_STALE_MS = 5 * 60_000;

/** Who holds a credential, as far as revocations go: a key, or a session (minted when, by which key). */
export type Holder =
  | { role: "platform"; keyHash: string }
  | { role: "seller"; sellerId: string; mintedAt: number; keyHash: string }
  | { role: "operator"; mintedAt: number; keyHash: string };

export function holderOf(principal: Principal): Holder {
  if (principal.kind === "platform") return { role: "platform", keyHash: principal.keyHash };
  const { mintedAt, keyHash } = principal.session;
  return principal.kind === "seller"
    ? { role: "seller", sellerId: principal.sellerId, mintedAt, keyHash }
    : { role: "operator", mintedAt, keyHash };
}

/** Whether the revocations void what `holder` holds. Pure. */
export function isVoided(revocations: Revocations, holder: Holder): boolean {
  if (revocations.has(rowKey("key", holder.keyHash))) return true;
  if (holder.role === "platform") return false;
  const mintedBefore = (kind: RevocationKind, subject: string) =>
    (revocations.get(rowKey(kind, subject)) ?? Number.NEGATIVE_INFINITY) > holder.mintedAt;
  return (
    mintedBefore("everyone", "") ||
    (holder.role === "seller" ? mintedBefore("seller", holder.sellerId) : mintedBefore("operator", ""))
  );
}

const copies = new Map<string, { rows: Map<string, number>; readAt: number }>();
/** Platforms whose copies an isolate keeps at most (the oldest read goes first). */
const MAX_COPIES = 10_000;

/** A platform's revocations that can still void a live token. Throws when D1 cannot answer and no recent copy is kept. */
export async function revocationsOf(db: D1Database, platform: string, nowMs = Date.now()): Promise<Revocations> {
  const copy = copies.get(platform);
  if (copy && nowMs - copy.readAt < CACHE_MS) return copy.rows;
  try {
    const { results } = await db
      .prepare("SELECT kind, subject, revoked_at FROM session_revocations WHERE platform_id = ? AND revoked_at > ?")
      .bind(platform, nowMs - KEPT_MS)
      .all<{ kind: RevocationKind; subject: string; revoked_at: number }>();
    const rows = new Map(results.map((r) => [rowKey(r.kind, r.subject), r.revoked_at]));
    copies.delete(platform);
    copies.set(platform, { rows, readAt: nowMs });
    if (copies.size > MAX_COPIES) copies.delete(copies.keys().next().value!);
    return rows;
  } catch (error) {
    if (copy && nowMs - copy.readAt < MAX_STALE_MS) return copy.rows;
    throw error;
  }
}

/**
 * The statements that revoke `kind`/`subject` of a platform at `nowMs` (to batch with the audit
 * row), deleting the platform's rows too old to void anything. `noteRevoked` tells this isolate.
 */
export function revokeStatements(
  db: D1Database,
  platform: string,
  kind: RevocationKind,
  subject: string,
  nowMs: number,
): D1PreparedStatement[] {
  return [
    db
      .prepare("DELETE FROM session_revocations WHERE platform_id = ? AND revoked_at <= ?")
      .bind(platform, nowMs - KEPT_MS),
    db
      .prepare(
        `INSERT INTO session_revocations (platform_id, kind, subject, revoked_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (platform_id, kind, subject) DO UPDATE SET revoked_at = MAX(revoked_at, excluded.revoked_at)`,
      )
      .bind(platform, kind, subject, nowMs),
  ];
}

/** This isolate's copy learns of a revocation it made (others read it within CACHE_MS). */
export function noteRevoked(platform: string, kind: RevocationKind, subject: string, nowMs: number): void {
  const copy = copies.get(platform);
  if (!copy) return; // the next read finds it in D1
  const key = rowKey(kind, subject);
  copy.rows.set(key, Math.max(copy.rows.get(key) ?? 0, nowMs));
}
