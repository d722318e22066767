// @ts-check
/**
 * The live summary: a WebSocket that the seller's ledger pushes the whole summary on (on
 * connect and on every change), and each order placed or changed (`{ type: "order" }`, the
 * ticker's). When the socket closes the dashboard polls instead, every 5 s, while it tries to
 * reconnect with backoff; once reconnected, polling stops.
 */
const POLL_MS = 5_000;
const RECONNECT_MIN_MS = 5_000;
const RECONNECT_MAX_MS = 60_000;

/**
 * Starts the feed. `url()` gives the socket's URL at each connection (the session's latest token);
 * `onSummary(summary)` gets every pushed summary, `onOrder(order)` every order; `poll()` fetches a
 * summary when the socket is down (it reports its own results); `onState` gets "connecting" |
 * "live" | "polling". Returns `stop()`.
 */
export function startLiveFeed({ url, onSummary, onOrder, poll, onState }) {
  let socket = null;
  let pollTimer = null;
  let reconnectTimer = null;
  let backoff = RECONNECT_MIN_MS;
  let stopped = false;

  function connect() {
    reconnectTimer = null;
    if (!pollTimer) onState("connecting");
    try {
      socket = new WebSocket(url());
    } catch {
      fallBack();
      return;
    }
    socket.addEventListener("open", () => {
      backoff = RECONNECT_MIN_MS;
      stopPolling();
      onState("live");
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // not JSON: ignore it rather than blank the page
      }
      if (message?.type === "order") onOrder(message.order);
      else onSummary(message);
    });
    socket.addEventListener("close", () => {
      socket = null;
      if (!stopped) fallBack();
    });
  }

  function fallBack() {
    if (!pollTimer) {
      onState("polling");
      poll();
      pollTimer = setInterval(poll, POLL_MS);
    }
    if (!reconnectTimer) {
      reconnectTimer = setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
    }
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  connect();
  return {
    stop() {
      stopped = true;
      stopPolling();
      clearTimeout(reconnectTimer);
      socket?.close(1000, "bye");
    },
  };
}
