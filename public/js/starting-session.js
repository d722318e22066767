// @ts-check
/**
 * The session a page starts with (the dashboard's and the console's entries): the tab's token and
 * its claims, or a message saying why there is none (no token, not one, expired). What a page
 * then does with the claims (which view, which role it admits) stays with its entry.
 */
import { showMessage } from "./messages.js";
import { decodeClaims, msUntilExpiry, takeToken } from "./session.js";

/** The token and its (unverified) claims, or null once the message is shown. */
export function startingSession() {
  // A new link opened in this tab (only the fragment changed, so no navigation): start over.
  addEventListener("hashchange", () => {
    if (new URLSearchParams(location.hash.slice(1)).has("token")) location.reload();
  });
  const token = takeToken();
  if (!token) return refused("no-token");
  const claims = decodeClaims(token);
  if (!claims) return refused("invalid");
  if (msUntilExpiry(claims) <= 0) return refused("expired");
  return { token, claims };
}

/** @param {"no-token" | "invalid" | "expired"} kind */
function refused(kind) {
  showMessage(kind);
  return null;
}
