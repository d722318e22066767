// @ts-check
/**
 * The messages shown instead of a view (no token, a link that is not valid, an expired or ended session,
 * another seller's dashboard, the console without an operator session, an error), and what an
 * API failure means for the page; the banner and connection state over a page that is up. Showing a
 * message stops the view behind it first.
 */
import { ApiError } from "./api.js";
import { byTestId } from "./dom.js";
import { msUntilExpiry } from "./session.js";

/** A 401 this long before the token's own expiry means the token is not valid (clocks drift). */
const CLOCK_SLACK_MS = 60_000;

const MESSAGES = {
  "no-token": () => ({
    title: "Open your dashboard from your marketplace",
    text: "This page needs a sign-in link. Open SellerPulse from your marketplace's seller center: the link it gives you signs you in to your own dashboard.",
  }),
  invalid: () => ({
    title: "This sign-in link is not valid",
    text: "The link seems damaged or incomplete. Open the dashboard again from your marketplace's seller center.",
  }),
  expired: () => ({
    title: "Your session has expired",
    text: "For your security, dashboard links only last a short while. Open the dashboard again from your marketplace's seller center to continue where you left off.",
  }),
  ended: () => ({
    title: "Your session has ended",
    text: "Your marketplace ended this sign-in. Open the dashboard again from your marketplace's seller center to continue.",
  }),
  forbidden: (sellerId) => ({
    title: "This dashboard belongs to another seller",
    text: `Your sign-in link does not give access to seller “${sellerId}”. Open the dashboard from your own link in your marketplace's seller center.`,
  }),
  "operator-only": () => ({
    title: "The operator console needs an operator sign-in",
    text: "Your sign-in link opens a seller's dashboard, not the platform's console. Open your own dashboard from your marketplace's seller center.",
    home: true,
  }),
  error: (error) => ({
    title: "We could not load your dashboard",
    text: `${error?.message ?? "Something went wrong"}. Please try again in a moment.`,
    retry: true,
  }),
};

let stopView = () => {};

/** What to stop when a message replaces the view (its socket, timers and polls). */
export function stopOnMessage(stop) {
  stopView = stop;
}

export function showMessage(kind, detail) {
  stopView();
  const { title, text, retry, home } = MESSAGES[kind](detail);
  const section = byTestId("message");
  section.dataset.kind = kind;
  byTestId("message-title").textContent = title;
  byTestId("message-text").textContent = text;
  section.querySelector(".button")?.remove();
  if (retry) {
    const button = section.appendChild(document.createElement("button"));
    button.type = "button";
    button.className = "button";
    button.textContent = "Try again";
    button.addEventListener("click", () => location.reload());
  }
  if (home) {
    const link = section.appendChild(document.createElement("a"));
    link.className = "button";
    link.href = "/";
    link.textContent = "Open my dashboard";
  }
  // The seller's page and the console's share this: each hides what it has.
  for (const id of ["loading", "dashboard", "console", "connection"]) {
    const element = byTestId(id);
    if (element) element.hidden = true;
  }
  section.hidden = false;
  document.title = `${title} · SellerPulse`;
}

/**
 * The message an API failure calls for: the session is over or refused (`forbidden` names the
 * view's own word for it), or null for a hiccup that the view rides out with its last figures.
 */
export function messageFor(error, claims, forbidden) {
  if (!(error instanceof ApiError)) return null;
  // A token the API refuses well before its own expiry was altered or signed with another secret.
  if (error.status === 401) return claims && msUntilExpiry(claims) > CLOCK_SLACK_MS ? "invalid" : "expired";
  if (error.status === 403) return forbidden;
  return null;
}

/** The banner over a page that is up: a note (`info`) or figures that may be stale (`warning`); null hides it. */
export function showNotice(text, tone = "info") {
  const notice = byTestId("notice");
  notice.hidden = !text;
  notice.textContent = text ?? "";
  notice.dataset.tone = tone;
}

const CONNECTION_TEXT = { connecting: "Connecting…", live: "Live", polling: "Reconnecting · refreshing every 5 s" };

/** The live connection's state beside the seller's name. */
export function showConnection(connection) {
  const element = byTestId("connection");
  element.hidden = false;
  element.dataset.state = connection;
  byTestId("connection-text").textContent = CONNECTION_TEXT[connection];
}
