// @ts-check
/**
 * The console's webhooks, from /v1/webhooks: the platform's subscriptions (URL and alert types,
 * never a secret), adding one (its signing secret shown once, here, then gone from the page),
 * sending one a test delivery, deleting one (asked twice). A test that fails joins the failed
 * deliveries, where it can be replayed.
 */
import { h } from "./dom.js";
import { dateTime } from "./format.js";
import { ALERT_TYPES, typeWords } from "./ops-alert-words.js";
import { showContent, showStatus } from "./panel-status.js";

/** What a new webhook receives unless the operator unticks it: what needs a human now. */
const CHECKED = new Set([
  "sla.breached",
  "threshold.sla_compliance",
  "threshold.cancellation_rate",
  "threshold.avg_rating",
]);
/** How long a Delete button waits for its confirming second press. */
const CONFIRM_MS = 5_000;

export class WebhooksPanel {
  /** `api`: webhooks, addWebhook, deleteWebhook, testWebhook; `onChanged()` after any change or test. */
  constructor(panel, { api, onError, onChanged }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.api = api;
    this.onError = onError;
    this.onChanged = onChanged;
    this.status = part("webhooks-empty");
    this.list = part("webhooks-list");
    this.said = part("webhooks-status");
    this.form = part("webhook-form");
    this.url = part("webhook-url");
    this.secret = part("webhook-secret");
    this.secretValue = part("webhook-secret-value");
    part("webhook-events").append(
      ...Object.keys(ALERT_TYPES).map((type) =>
        h(
          "label",
          { className: "check-label" },
          h("input", { type: "checkbox", name: "events", value: type, checked: CHECKED.has(type) }),
          h("span", {}, typeWords(type), h("code", {}, type)),
        ),
      ),
    );
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
    part("webhook-secret-copy").addEventListener("click", () => this.copySecret());
    part("webhook-secret-done").addEventListener("click", () => {
      this.secretValue.textContent = "";
      this.secret.hidden = true;
      this.url.focus();
    });
  }

  async refresh() {
    let body;
    try {
      body = await this.api.webhooks();
    } catch (error) {
      if (!this.onError(error) && this.list.hidden)
        showStatus(
          this.status,
          "error",
          `Could not load webhooks (${/** @type {Error} */ (error).message}).`,
          this.list,
        );
      return;
    }
    if (body.webhooks.length === 0)
      return showStatus(this.status, "empty", "No webhooks yet: add one below.", this.list);
    this.list.replaceChildren(...body.webhooks.map((w) => this.itemOf(w)));
    showContent(this.status, this.list);
  }

  itemOf(webhook) {
    const test = h("button", { type: "button", className: "button-quiet" }, "Send a test");
    test.setAttribute("aria-label", `Send a test (a delivery to ${webhook.url})`);
    test.addEventListener("click", () => this.test(webhook, test));
    const remove = h("button", { type: "button", className: "button-quiet" }, "Delete");
    remove.setAttribute("aria-label", `Delete (the webhook to ${webhook.url})`);
    remove.addEventListener("click", () => this.remove(webhook, remove));
    return h(
      "li",
      { className: "replay-item", dataset: { id: webhook.webhook_id, testid: "webhook-item" } },
      h(
        "div",
        { className: "replay-body" },
        h("p", { className: "replay-title" }, webhook.url),
        h(
          "p",
          { className: "replay-detail" },
          `${webhook.events.map(typeWords).join(" · ")} · since ${dateTime(webhook.created_at)}`,
        ),
      ),
      h("span", { className: "item-actions" }, test, remove),
    );
  }

  async add() {
    const events = [...this.form.querySelectorAll("input[name=events]:checked")].map((box) => box.value);
    if (!this.url.reportValidity()) return;
    if (events.length === 0) {
      this.said.textContent = "Not added: tick at least one alert type.";
      return;
    }
    try {
      const created = await this.api.addWebhook({ url: this.url.value.trim(), events });
      this.said.textContent = `Added the webhook to ${created.url}.`;
      this.secretValue.textContent = created.secret;
      this.secret.hidden = false;
      this.secret.focus();
      this.url.value = "";
      this.onChanged();
      await this.refresh();
    } catch (error) {
      if (!this.onError(error)) this.said.textContent = `Not added: ${/** @type {Error} */ (error).message}`;
    }
  }

  async test(webhook, button) {
    button.disabled = true;
    this.said.textContent = `Sending a test delivery to ${webhook.url}…`;
    try {
      const result = await this.api.testWebhook(webhook.webhook_id);
      this.said.textContent =
        result.status === "delivered"
          ? `Test delivery ${result.delivery_id} delivered (the receiver answered ${result.last_status}).`
          : `Test delivery ${result.delivery_id} failed (${result.last_error ?? `answered ${result.last_status}`}): it is listed under failed deliveries, to replay once the receiver is fixed.`;
      this.onChanged();
    } catch (error) {
      if (!this.onError(error))
        this.said.textContent = `Could not send a test: ${/** @type {Error} */ (error).message}`;
    } finally {
      button.disabled = false;
    }
  }

  async remove(webhook, button) {
    if (button.dataset.confirm !== "yes") {
      // The visible words lead the accessible name, whichever the button says now.
      const ask = (words) => {
        button.textContent = words;
        button.setAttribute("aria-label", `${words} (the webhook to ${webhook.url})`);
      };
      button.dataset.confirm = "yes";
      ask("Delete for good?");
      setTimeout(() => {
        button.dataset.confirm = "";
        ask("Delete");
      }, CONFIRM_MS);
      return;
    }
    try {
      await this.api.deleteWebhook(webhook.webhook_id);
      this.said.textContent = `Deleted the webhook to ${webhook.url}.`;
      this.onChanged();
      await this.refresh();
    } catch (error) {
      if (!this.onError(error)) this.said.textContent = `Not deleted: ${/** @type {Error} */ (error).message}`;
    }
  }

  async copySecret() {
    try {
      await navigator.clipboard.writeText(this.secretValue.textContent);
      this.said.textContent = "The secret is on the clipboard.";
    } catch {
      // No clipboard (an insecure origin, a denied permission): select it for a manual copy.
      getSelection()?.selectAllChildren(this.secretValue);
      this.said.textContent = "The secret is selected: copy it with your keyboard.";
    }
  }
}
