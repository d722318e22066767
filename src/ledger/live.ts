/**
 * A SellerLedger's live sockets (WebSocket hibernation): who each socket is for, and which are
 * still open to pushes. A socket whose session has expired is closed before anything more is
 * sent to it: it gets nothing after its expiry.
 */
import {
  LIVE_CURRENCY_HEADER,
  LIVE_EXPIRES_HEADER,
  LIVE_SELLER_HEADER,
  SESSION_EXPIRED_CLOSE,
} from "./live-protocol.ts";

/** What a socket reads, as the Worker said when it handed the socket over. */
export interface Viewer {
  sellerId: string;
  currency: string;
  /** When its session expires (ms since the epoch); null for a platform key. */
  expiresAt: number | null;
}

export function viewerOf(request: Request): Viewer {
  const expires = request.headers.get(LIVE_EXPIRES_HEADER);
  return {
    sellerId: request.headers.get(LIVE_SELLER_HEADER) ?? "",
    currency: request.headers.get(LIVE_CURRENCY_HEADER) ?? "",
    expiresAt: expires === null ? null : Number(expires),
  };
}

export const viewerOfSocket = (socket: WebSocket) => socket.deserializeAttachment() as Viewer;

/** The open sockets whose sessions have not expired; the expired ones are closed (SESSION_EXPIRED_CLOSE). */
export function liveSockets(ctx: DurableObjectState, now = Date.now()): WebSocket[] {
  return ctx.getWebSockets().filter((socket) => {
    if ((viewerOfSocket(socket).expiresAt ?? Number.POSITIVE_INFINITY) > now) return true;
    socket.close(SESSION_EXPIRED_CLOSE, "session expired");
    return false;
  });
}

/**
 * The code that completes a closing handshake. A client that closed without a status (1005) or
 * whose connection dropped (1006) cannot be answered with that code (close() throws on it): 1000.
 */
export function closingCode(code: number): number {
  return code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000;
}
