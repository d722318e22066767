// @ts-check
/**
 * The console page's entry (console.html): finds the operator's session (from the fragment of a
 * fresh link, or kept in this tab: starting-session.js) and starts the console, or shows a message
 * instead (no token, not valid, expired, a seller's session). Claims are read for that choice only: the API checks
 * the token on every call.
 */
import { startConsole } from "./console.js";
import { showMessage, stopOnMessage } from "./messages.js";
import { startingSession } from "./starting-session.js";

function start() {
  const session = startingSession();
  if (!session) return;
  const { token, claims } = session;
  // The console is the operator's: a seller's session never reaches /v1/ops from here.
  if (claims.role !== "operator") return showMessage("operator-only");
  stopOnMessage(startConsole({ token, claims }));
}

try {
  start();
} catch (error) {
  showMessage("error", error);
}
