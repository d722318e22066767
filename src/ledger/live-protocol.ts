/**
 * What the API tells a SellerLedger when it hands it a live WebSocket: the seller and currency
 * the socket reads, when its session ends, and how many sockets the seller may have open. Only the Worker sets these, after authorising
 * the caller; a caller's own copies are dropped.
 */
export const LIVE_SELLER_HEADER = "X-SellerPulse-Seller";
export const LIVE_CURRENCY_HEADER = "X-SellerPulse-Currency";
/** When the session that opened a socket expires (ms since the epoch); absent for a platform key. */
export const LIVE_EXPIRES_HEADER = "X-SellerPulse-Expires";
/** How many live sockets the seller may have open at once (the platform's live_sockets_per_seller). */
export const LIVE_MAX_SOCKETS_HEADER = "X-SellerPulse-Max-Sockets";
/** The close code of a socket whose session has expired (application codes are 4000-4999). */
export const SESSION_EXPIRED_CLOSE = 4401;
