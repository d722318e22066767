/**
 * What the API tells a SellerLedger when it hands it a live WebSocket: the seller and currency
 * the socket reads, when its session ends, who holds it (for revocations) and how many sockets the
 * seller may have open. Only the Worker sets these, after authorising the caller; a caller's own
 * copies are replaced.
 */
export const LIVE_SELLER_HEADER = "X-SellerPulse-Seller";
export const LIVE_CURRENCY_HEADER = "X-SellerPulse-Currency";
/** When the session that opened a socket expires (ms since the epoch); absent for a platform key. */
export const LIVE_EXPIRES_HEADER = "X-SellerPulse-Expires";
/** How many live sockets the seller may have open at once (the platform's live_sockets_per_seller). */
export const LIVE_MAX_SOCKETS_HEADER = "X-SellerPulse-Max-Sockets";
/**
 * Who opened the socket, as JSON `{ platform, holder }` (src/auth/session-revocations.ts's Holder):
 * a revocation of that session (or key) closes the socket.
 */
export const LIVE_HOLDER_HEADER = "X-SellerPulse-Holder";
/**
 * The close code of a socket whose session has expired or been revoked (application codes are
 * 4000-4999); the reason says which ("session expired", "session revoked"). A client with a
 * newer token (POST /v1/sessions/refresh) connects again with it.
 */
export const SESSION_EXPIRED_CLOSE = 4401;
