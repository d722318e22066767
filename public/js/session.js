// @ts-check
/**
 * The session token: taken from the URL fragment (`#token=…`, as POST /v1/sessions's
 * dashboard_url carries it), wiped from the address bar and kept in this tab's sessionStorage.
 * Claims are decoded here only to know which seller to show: they are NOT verified (the API
 * verifies every request), so never trust them for anything but display.
 */
const STORAGE_KEY = "sellerpulse.token";
const PREFIX = "sps1";

/** The tab's token: a fresh one from the fragment wins over the stored one; null when none. */
export function takeToken(win = window) {
  const fragment = new URLSearchParams(win.location.hash.slice(1));
  const fresh = fragment.get("token");
  if (fresh) {
    // Out of the address bar (and so out of bookmarks, history and screenshots) at once.
    win.history.replaceState(win.history.state, "", win.location.pathname + win.location.search);
    storeToken(fresh, win);
    return fresh;
  }
  try {
    return win.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Keeps the tab's token (a refreshed one replaces the old), for a reload of this tab. */
export function storeToken(token, win = window) {
  try {
    win.sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // storage disabled: the token lives for this page only
  }
}

/**
 * The claims of a `sps1.<base64url JSON>.<signature>` token
 * ({ role, platform, currency, exp, seller_id? }), or null when it is not one.
 */
export function decodeClaims(token) {
  const [prefix, payload, signature] = token.split(".");
  if (prefix !== PREFIX || !payload || !signature) return null;
  try {
    const binary = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
    if (typeof claims !== "object" || claims === null || typeof claims.role !== "string") return null;
    if (claims.role === "seller" && typeof claims.seller_id !== "string") return null;
    return claims;
  } catch {
    return null; // not base64url or not JSON
  }
}

/** Milliseconds until the token expires (≤ 0 once it has); Infinity when it names no expiry. */
export function msUntilExpiry(claims, nowMs = Date.now()) {
  return typeof claims.exp === "number" ? claims.exp * 1000 - nowMs : Infinity;
}
