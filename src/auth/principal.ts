/**
 * Who is calling: a platform with its API key, or one of its sellers or its operator with a
 * session the platform minted. Types only; http/authenticate.ts resolves a credential to one of these.
 */

/** A marketplace: every stored key is scoped by its id; it settles in one currency. */
export interface Platform {
  id: string;
  currency: string;
}

/**
 * What a session's token says of it, for refreshes and revocations: when it was minted, when its
 * chain of refreshes began (ms since the epoch) and the hash of the platform key that began it.
 */
interface SessionFacts {
  mintedAt: number;
  chainAt: number;
  keyHash: string;
}

/** A session's principal carries its expiry (ms since the epoch), for /live; a key's, its hash. */
export type Principal =
  | { kind: "platform"; platform: Platform; keyHash: string }
  | { kind: "seller"; platform: Platform; sellerId: string; expiresAt: number; session: SessionFacts }
  | { kind: "operator"; platform: Platform; expiresAt: number; session: SessionFacts };

/** How the audit log names who acted. */
export function actorOf(principal: Principal): string {
  return principal.kind === "platform" ? "platform key" : principal.kind;
}
