/**
 * The operator's console: sellers (flagged first), payout liability, the privacy budget and the
 * benchmark releases, failed webhook deliveries and dead letters with replay, and the public top
 * products per category. Each panel reads its own /v1/ops endpoint and says "not available yet"
 * while that endpoint is not deployed (404). Nothing shows until the API accepts the session as
 * an operator's: a seller's session (403) or an altered one (401) gets a message instead.
 */
import { notBuilt, opsApi } from "./api.js";
import { byTestId } from "./dom.js";
import { formatters } from "./format.js";
import { messageFor, showMessage } from "./messages.js";
import { renderBenchmarkReleases } from "./ops-benchmarks.js";
import { renderPayouts } from "./ops-payouts.js";
import { ReplayPanel } from "./ops-replays.js";
import { SellersPanel } from "./ops-sellers.js";
import { msUntilExpiry } from "./session.js";
import { TopProductsPanel } from "./top-products.js";

/** Operators watch a platform, not an order: every half minute is fresh enough. */
const REFRESH_MS = 30_000;

/** An answer as panels take it: `{ value }`, `{ unavailable: true }` (404) or `{ error }`. */
async function settle(read) {
  try {
    return { value: await read() };
  } catch (error) {
    return notBuilt(error) ? { unavailable: true, error } : { error };
  }
}

export function startConsole({ token, claims, served }) {
  const api = opsApi(token, served);
  const root = byTestId("console");
  const timers = { refresh: 0, expiry: 0 };
  let stopped = false;
  let panels = null;

  const stop = () => {
    stopped = true;
    for (const timer of Object.values(timers)) clearTimeout(timer);
  };

  /** A refusal of the session ends the console; any other failure stays in its panel. */
  function refused(answers) {
    for (const answer of answers) {
      const kind = answer.error && !answer.unavailable ? messageFor(answer.error, claims, "operator-only") : null;
      if (kind) {
        showMessage(kind);
        return true;
      }
    }
    return false;
  }

  const readSummaries = () => Promise.all([settle(api.benchmarks), settle(api.payouts)]);

  /** Every panel, from fresh reads (or from `first`, the reads that let the console open). */
  async function refresh(first) {
    const [benchmarks, payouts] = first ?? (await readSummaries());
    if (stopped || refused([benchmarks, payouts])) return;
    renderBenchmarkReleases(root, benchmarks);
    renderPayouts(byTestId("payouts-panel"), payouts, formatters(payouts.value?.currency ?? claims.currency));
    const categories = (benchmarks.value?.releases ?? []).map((release) => release.cohort.category);
    panels.top.knowCategories(categories.filter(Boolean));
    await Promise.all([panels.sellers.refresh(), panels.deliveries.refresh(), panels.deadLetters.refresh()]);
  }

  function schedule() {
    timers.refresh = setTimeout(async () => {
      if (!document.hidden) await refresh();
      if (!stopped) schedule();
    }, REFRESH_MS);
  }

  async function start() {
    // The first reads decide whether this session may see the console at all.
    const first = await readSummaries();
    if (stopped || refused(first)) return;
    if (first.every((answer) => answer.error && !answer.unavailable)) return showMessage("error", first[0].error);

    const currency = first[1].value?.currency ?? claims.currency;
    byTestId("console-platform").textContent = claims.platform;
    byTestId("console-currency").textContent = currency;
    const onRefused = (error) => refused([{ error }]);
    panels = {
      sellers: new SellersPanel(byTestId("sellers-panel"), {
        read: api.sellers,
        format: formatters(currency),
        onRefused,
      }),
      deliveries: new ReplayPanel(byTestId("deliveries-panel"), {
        name: "deliveries",
        read: api.failedDeliveries,
        replay: api.replayDelivery,
        onRefused,
      }),
      deadLetters: new ReplayPanel(byTestId("dead-letters-panel"), {
        name: "dead-letters",
        read: api.deadLetters,
        replay: api.replayDeadLetter,
        onRefused,
      }),
      top: new TopProductsPanel(byTestId("top-panel"), { platform: claims.platform }),
    };
    setUpOpenSeller();
    byTestId("loading").hidden = true;
    root.hidden = false;
    document.title = `Operator console · ${claims.platform} · SellerPulse`;
    timers.expiry = setTimeout(() => showMessage("expired"), Math.min(msUntilExpiry(claims), 2 ** 31 - 1));
    await refresh(first);
    if (!stopped) {
      root.dataset.ready = "true";
      schedule();
    }
  }

  start().catch((error) => showMessage("error", error));
  return stop;
}

/** Any seller of the platform by id, whether or not the sellers list is deployed. */
function setUpOpenSeller() {
  const form = byTestId("open-seller");
  const input = byTestId("open-seller-id");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const seller = input.value.trim();
    if (!seller) {
      input.value = ""; // only spaces: say that an id is needed
      input.reportValidity();
      return;
    }
    location.search = new URLSearchParams({ seller }).toString();
  });
}
