/**
 * A SellerLedger's live sockets (WebSocket hibernation): who each socket is for, and which are
 * still open to pushes. A socket whose session has expired is closed before anything more is
 * sent to it: it gets nothing after its expiry; one whose session (or key) was revoked is closed
 * when the ledger next looks (its alarm rings at least once a minute while a socket is open).
 */
import { type Holder, isVoided, type Revocations, revocationsOf } from "../auth/session-revocations.ts";
import {
  LIVE_CURRENCY_HEADER,
  LIVE_EXPIRES_HEADER,
  LIVE_HOLDER_HEADER,
  LIVE_MAX_SOCKETS_HEADER,
  LIVE_SELLER_HEADER,
  SESSION_EXPIRED_CLOSE,
} from "./live-protocol.ts";

/** What a socket reads, as the Worker said when it handed the socket over. */
export interface Viewer {
  sellerId: string;
  currency: string;
  /** When its session expires (ms since the epoch); null for a platform key. */
  expiresAt: number | null;
  /** Whose credential opened it, and of which platform; null for a socket opened before this was said. */
  holder?: { platform: string; holder: Holder } | null;
}

function viewerOf(request: Request): Viewer {
  const expires = request.headers.get(LIVE_EXPIRES_HEADER);
  const holder = request.headers.get(LIVE_HOLDER_HEADER);
  return {
    sellerId: request.headers.get(LIVE_SELLER_HEADER) ?? "",
    currency: request.headers.get(LIVE_CURRENCY_HEADER) ?? "",
    expiresAt: expires === null ? null : Number(expires),
    holder: holder === null ? null : (JSON.parse(holder) as Viewer["holder"]),
  };
}

const viewerOfSocket = (socket: WebSocket) => socket.deserializeAttachment() as Viewer;

/** While a socket is open, its ledger looks at least this often for sessions that ended. */
export const SOCKET_WATCH_MS = 60_000;

/** The open sockets whose sessions have not expired; the expired ones are closed (SESSION_EXPIRED_CLOSE). */
function liveSockets(ctx: DurableObjectState, now = Date.now()): WebSocket[] {
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

/**
 * Pushes the summary to a ledger's live sockets when it changed since this instance's last push
 * (after a wake-up, one unchanged push may go out). A failed push is logged, never thrown: it
 * must not fail the write before it.
 */
export class LivePush {
  private lastPushed: string | undefined = undefined;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly db: D1Database,
    private readonly messageFor: (viewer: Viewer) => string,
  ) {}

  /**
   * Accepts a socket the Worker authorised (the seller and currency are in the headers), unless
   * the seller has its allowance of sockets open (409 limit_reached; expired ones are closed first).
   */
  connect(request: Request): Response {
    const max = Number(request.headers.get(LIVE_MAX_SOCKETS_HEADER) ?? Number.POSITIVE_INFINITY);
    if (liveSockets(this.ctx).length >= max) {
      const error = {
        code: "limit_reached",
        message: `This seller has its allowance of ${max} live sockets open; close one first`,
        details: { allowance: "live_sockets_per_seller", limit: max },
      };
      return Response.json({ error }, { status: 409 });
    }
    const viewer = viewerOf(request);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment(viewer);
    const message = this.messageFor(viewer);
    // The other sockets have the last push; if time has changed the summary since, they get it too.
    for (const socket of message === this.lastPushed ? [server] : liveSockets(this.ctx)) socket.send(message);
    this.lastPushed = message;
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends messages to every live socket (the live ticker's orders); a failure is logged, never thrown. */
  send(messages: readonly string[]): void {
    try {
      for (const socket of liveSockets(this.ctx)) for (const message of messages) socket.send(message);
    } catch (error) {
      console.error("live send failed", error);
    }
  }

  /**
   * Closes the sockets whose sessions have expired or been revoked; says how many stay open. When
   * the revocations cannot be read (D1 down), only expiries close sockets this time.
   */
  async closeEnded(now: number): Promise<number> {
    const open = liveSockets(this.ctx, now);
    const byPlatform = new Map<string, Revocations | null>();
    let left = open.length;
    for (const socket of open) {
      const held = viewerOfSocket(socket).holder;
      if (!held) continue;
      if (!byPlatform.has(held.platform)) {
        byPlatform.set(
          held.platform,
          await revocationsOf(this.db, held.platform, now).catch((error: unknown) => {
            console.error("live sockets: revocations unread; expiries only this time", error);
            return null;
          }),
        );
      }
      const revocations = byPlatform.get(held.platform);
      if (revocations && isVoided(revocations, held.holder)) {
        socket.close(SESSION_EXPIRED_CLOSE, "session revoked");
        left--;
      }
    }
    return left;
  }

  /** Pushes a changed summary; says whether any socket is open. */
  broadcast(): boolean {
    const sockets = liveSockets(this.ctx);
    if (sockets.length === 0) return false;
    try {
      const message = this.messageFor(viewerOfSocket(sockets[0]!));
      if (message !== this.lastPushed) {
        for (const socket of sockets) socket.send(message);
        this.lastPushed = message;
      }
    } catch (error) {
      console.error("live push failed", error);
    }
    return true;
  }
}
