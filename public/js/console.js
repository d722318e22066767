// @ts-check
/**
 * The operator's console (console.html): the platform at a glance, the alert feed, sellers and who
 * is owed most, payouts, thresholds, webhooks with their failed deliveries, dead letters, imports,
 * reports, one seller's tools, the audit log, the privacy budget and releases, and the public top
 * products. Each panel reads its own endpoint; this wires them, refreshes them every half minute,
 * and ends the console when the API refuses the session (401 or 403) with a message instead.
 */
import { byTestId } from "./dom.js";
import { clockTime, formatters } from "./format.js";
import { messageFor, showMessage } from "./messages.js";
import { AlertFeed } from "./ops-alerts.js";
import { opsApi } from "./ops-api.js";
import { AuditPanel } from "./ops-audit.js";
import { renderBenchmarkReleases } from "./ops-benchmarks.js";
import { ImportsPanel } from "./ops-imports.js";
import { OverviewPanel } from "./ops-overview.js";
import { OwedPanel } from "./ops-owed.js";
import { renderPayouts } from "./ops-payouts.js";
import { ReplayPanel } from "./ops-replays.js";
import { ReportsPanel } from "./ops-reports.js";
import { SellerToolsPanel } from "./ops-seller-tools.js";
import { SellersPanel } from "./ops-sellers.js";
import { ThresholdsPanel } from "./ops-thresholds.js";
import { WebhooksPanel } from "./ops-webhooks.js";
import { msUntilExpiry } from "./session.js";
import { TopProductsPanel } from "./top-products.js";

/** Operators watch a platform, not an order: every half minute is fresh enough. */
const REFRESH_MS = 30_000;

export function startConsole({ token, claims }) {
  const api = opsApi(token);
  const root = byTestId("console");
  const timers = { refresh: 0, expiry: 0 };
  let stopped = false;

  const stop = () => {
    stopped = true;
    for (const timer of Object.values(timers)) clearTimeout(timer);
  };

  /** A refusal of the session ends the console (true); any other failure stays in its panel (false). */
  const onError = (error) => {
    const kind = messageFor(error, claims, "operator-only");
    if (kind && !stopped) showMessage(kind);
    return Boolean(kind) || stopped;
  };

  const settle = (read) =>
    read().then(
      (value) => ({ value }),
      (error) => ({ error }),
    );

  async function start() {
    // The first read decides whether this session may see the console at all.
    const payouts = await settle(api.payouts);
    if (stopped || (payouts.error && onError(payouts.error))) return;
    if (payouts.error) return showMessage("error", payouts.error);
    const currency = payouts.value.currency;
    const format = formatters(currency);
    byTestId("console-platform").textContent = claims.platform;
    byTestId("console-currency").textContent = currency;

    const part = (id) => byTestId(id, root);
    const audit = new AuditPanel(part("audit-panel"), { read: api.audit, onError });
    const audited = () => audit.refresh();
    const deliveries = new ReplayPanel(part("deliveries-panel"), {
      name: "deliveries",
      read: api.failedDeliveries,
      replay: api.replayDelivery,
      onError,
      onReplayed: audited,
    });
    const sellers = new SellersPanel(part("sellers-panel"), { read: api.sellers, format, onError });
    const panels = {
      overview: new OverviewPanel(part("overview-panel"), { read: api.overview, format, onError }),
      feed: new AlertFeed(part("feed-panel"), { read: api.alerts, onError }),
      sellers,
      owed: new OwedPanel(part("owed-panel"), {
        read: api.sellers,
        format,
        onError,
        showAll: () => {
          sellers.sortBy("payout_pending");
          document.getElementById("sellers-heading")?.scrollIntoView();
        },
      }),
      payouts: {
        refresh: async () => renderPayouts(part("payouts-panel"), await settle(api.payouts), format),
      },
      deliveries,
      deadLetters: new ReplayPanel(part("dead-letters-panel"), {
        name: "dead-letters",
        read: api.deadLetters,
        replay: api.replayDeadLetter,
        onError,
        onReplayed: audited,
      }),
      imports: new ImportsPanel(part("imports-panel"), { list: api.imports, one: api.importOf, onError }),
      reports: new ReportsPanel(part("reports-panel"), {
        list: api.reports,
        download: api.report,
        platform: claims.platform,
        onError,
      }),
      benchmarks: { refresh: async () => renderBenchmarkReleases(root, await settle(api.benchmarks)) },
      top: new TopProductsPanel(part("top-panel"), { platform: claims.platform }),
    };
    // Read once, then only as the operator acts: a poll must not overwrite what is being edited.
    const once = {
      thresholds: new ThresholdsPanel(part("thresholds-panel"), {
        read: api.thresholds,
        save: api.setThresholds,
        onError,
        onSaved: audited,
      }),
      webhooks: new WebhooksPanel(part("webhooks-panel"), {
        api,
        onError,
        onChanged: () => Promise.all([audited(), deliveries.refresh()]),
      }),
      audit,
    };
    new SellerToolsPanel(part("tools-panel"), { api, onError, onChanged: audited });
    setUpOpenSeller();

    byTestId("loading").hidden = true;
    root.hidden = false;
    document.title = `Operator console · ${claims.platform} · SellerPulse`;
    timers.expiry = setTimeout(() => showMessage("expired"), Math.min(msUntilExpiry(claims), 2 ** 31 - 1));
    const refreshAll = async () => {
      await Promise.all(Object.values(panels).map((panel) => panel.refresh()));
      byTestId("refreshed").textContent = `Updated ${clockTime(new Date().toISOString())}`;
    };
    await Promise.all([refreshAll(), ...Object.values(once).map((panel) => panel.refresh())]);
    if (stopped) return;
    root.dataset.ready = "true";
    const schedule = () => {
      timers.refresh = setTimeout(async () => {
        if (!document.hidden) await refreshAll();
        if (!stopped) schedule();
      }, REFRESH_MS);
    };
    schedule();
  }

  start().catch((error) => showMessage("error", error));
  return stop;
}

/** Any seller of the platform by id. */
function setUpOpenSeller() {
  const form = byTestId("open-seller");
  const input = /** @type {HTMLInputElement} */ (byTestId("open-seller-id"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const seller = input.value.trim();
    if (!seller) {
      input.value = ""; // only spaces: say that an id is needed
      input.reportValidity();
      return;
    }
    location.assign(`/?${new URLSearchParams({ seller })}`);
  });
}
