/**
 * Who is calling: a platform with its API key, or one of its sellers or its operator with a
 * session the platform minted. Types only; http/authenticate.ts resolves a credential to one of these.
 */

/** A marketplace: every stored key is scoped by its id; it settles in one currency. */
export interface Platform {
  id: string;
  currency: string;
}

/** A session's principal carries its expiry (ms since the epoch), for /live. */
export type Principal =
  | { kind: "platform"; platform: Platform }
  | { kind: "seller"; platform: Platform; sellerId: string; expiresAt: number }
  | { kind: "operator"; platform: Platform; expiresAt: number };

/** How the audit log names who acted. */
export function actorOf(principal: Principal): string {
  return principal.kind === "platform" ? "platform key" : principal.kind;
}
