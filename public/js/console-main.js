// @ts-check
/**
 * The console page's entry (console.html): finds the operator's session (from the fragment of a
 * fresh link, or kept in this tab) and starts the console, or shows a message instead (no token,
 * not valid, expired, a seller's session). Claims are read for that choice only: the API checks
 * the token on every call.
 */
import { startConsole } from "./console.js";
import { showMessage, stopOnMessage } from "./messages.js";
import { decodeClaims, msUntilExpiry, takeToken } from "./session.js";

function start() {
  // A new link opened in this tab (only the fragment changed, so no navigation): start over.
  addEventListener("hashchange", () => {
    if (new URLSearchParams(location.hash.slice(1)).has("token")) location.reload();
  });
  const token = takeToken();
  if (!token) return showMessage("no-token");
  const claims = decodeClaims(token);
  if (!claims) return showMessage("invalid");
  if (msUntilExpiry(claims) <= 0) return showMessage("expired");
  // The console is the operator's: a seller's session never reaches /v1/ops from here.
  if (claims.role !== "operator") return showMessage("operator-only");
  stopOnMessage(startConsole({ token, claims }));
}

try {
  start();
} catch (error) {
  showMessage("error", error);
}
