// @ts-check
/**
 * A console list of things that failed every retry, each with a replay button: failed webhook
 * deliveries (GET /v1/ops/webhook-deliveries?status=failed) and dead letters (GET
 * /v1/ops/dead-letters), replayed with POST …/{id}/replay.
 */
import { h } from "./dom.js";
import { dateTime } from "./format.js";
import { typeWords } from "./ops-alert-words.js";
import { showContent, showStatus } from "./panel-status.js";

/** What each list is called, where its items are, and how an item is named. */
const KINDS = {
  deliveries: {
    none: "No failed webhook deliveries.",
    items: (body) => body.deliveries,
    id: (item) => item.delivery_id,
    title: (item) => (item.seller_id ? `${typeWords(item.type)} · seller ${item.seller_id}` : typeWords(item.type)),
    detail: (item) => [
      `${item.attempts} ${item.attempts === 1 ? "attempt" : "attempts"}`,
      item.last_error ?? (item.last_status ? `answered ${item.last_status}` : null),
      dateTime(item.updated_at),
    ],
  },
  "dead-letters": {
    none: "No dead letters.",
    items: (body) => body.dead_letters,
    id: (item) => item.id,
    title: (item) => `queue ${item.queue}`,
    detail: (item) => [item.error, dateTime(item.received_at), preview(item.body)],
  },
};

const preview = (text) => (text.length > 120 ? `${text.slice(0, 119)}…` : text);

export class ReplayPanel {
  /** `read()` lists, `replay(id)` puts one back; `onError(error)` is true when the console took it. */
  constructor(panel, { name, read, replay, onError, onReplayed = () => {} }) {
    this.kind = KINDS[name];
    this.read = read;
    this.replay = replay;
    this.onError = onError;
    this.onReplayed = onReplayed;
    this.status = panel.querySelector(`[data-testid="${name}-empty"]`);
    this.list = panel.querySelector(`[data-testid="${name}-list"]`);
    this.said = panel.querySelector(`[data-testid="${name}-status"]`);
  }

  async refresh() {
    let body;
    try {
      body = await this.read();
    } catch (error) {
      if (!this.onError(error) && this.list.hidden)
        showStatus(this.status, "error", `Could not load (${/** @type {Error} */ (error).message}).`, this.list);
      return;
    }
    const items = this.kind.items(body);
    if (items.length === 0) return showStatus(this.status, "empty", this.kind.none, this.list);
    this.list.replaceChildren(...items.map((item) => this.itemOf(item)));
    showContent(this.status, this.list);
  }

  itemOf(item) {
    const id = String(this.kind.id(item));
    const button = h("button", { type: "button", className: "button-quiet" }, "Replay");
    button.setAttribute("aria-label", `Replay ${id}`);
    button.addEventListener("click", () => this.replayOne(id, button));
    return h(
      "li",
      { className: "replay-item", dataset: { id, testid: "replay-item" } },
      h(
        "div",
        { className: "replay-body" },
        h("p", { className: "replay-title" }, h("code", {}, id), " ", this.kind.title(item)),
        h("p", { className: "replay-detail" }, this.kind.detail(item).filter(Boolean).join(" · ")),
      ),
      button,
    );
  }

  async replayOne(id, button) {
    button.disabled = true;
    try {
      await this.replay(id);
      this.said.textContent = `Replayed ${id}: it is back on its way.`;
      button.closest("li")?.remove();
      if (!this.list.children.length) showStatus(this.status, "empty", this.kind.none, this.list);
      this.onReplayed();
    } catch (error) {
      if (this.onError(error)) return;
      button.disabled = false;
      this.said.textContent = `Could not replay ${id} (${/** @type {Error} */ (error).message}).`;
    }
  }
}
