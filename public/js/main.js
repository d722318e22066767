// @ts-check
/**
 * The dashboard's entry: finds the session and decides what the page shows: a seller's dashboard
 * (a seller's own link, or an operator's `?seller=<id>`), the operator's console (an operator's
 * link: its own page, /console), or a message instead (no token, not valid, expired, a seller
 * asking for the console). Claims are read for that choice only: the API checks the token on
 * every read.
 */
import { showMessage, stopOnMessage } from "./messages.js";
import { startSellerView } from "./seller-view.js";
import { startingSession } from "./starting-session.js";

async function start() {
  const session = startingSession();
  if (!session) return;
  const { token, claims } = session;
  const params = new URLSearchParams(location.search);
  // `?seller=` names a seller of the platform: an operator's choice from the console; a seller's
  // own token reaches only its own seller, and the API's 403 says so on the page.
  const requested = params.get("seller");
  // The token is kept in this tab (takeToken): the console's page finds it there.
  if (claims.role === "operator") {
    if (!requested) return location.replace("/console");
    return stopOnMessage(startSellerView({ token, claims, sellerId: requested, asOperator: true }));
  }
  if (claims.role !== "seller") return showMessage("invalid");
  // The console is the operator's: a seller's link that asks for it never reaches /v1/ops.
  if (params.get("view") === "console") return showMessage("operator-only");
  stopOnMessage(startSellerView({ token, claims, sellerId: requested || claims.seller_id }));
}

start().catch((error) => showMessage("error", error));
