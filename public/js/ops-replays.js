/**
 * A console list of things that failed every retry, each with a replay button: failed webhook
 * deliveries (GET /v1/ops/webhook-deliveries?status=failed) and dead letters (GET
 * /v1/ops/dead-letters), replayed with POST …/{id}/replay. Deliveries are read as the API answers
 * them; the contract does not name a dead letter's fields, so that list takes the answer's array and
 * shows the fields it knows.
 */
import { ApiError, notBuilt } from "./api.js";
import { h } from "./dom.js";
import { dateTime } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";

/** What each list is called, where its items are, and how an item is named. */
const KINDS = {
  deliveries: {
    plural: "Failed webhook deliveries",
    none: "No failed webhook deliveries.",
    items: (body) => body.deliveries,
    id: (item) => item.delivery_id ?? item.id,
    title: (item) => [item.type, item.seller_id ? `seller ${item.seller_id}` : null].filter(Boolean).join(" · "),
    detail: (item) =>
      [
        typeof item.attempts === "number" ? `${item.attempts} attempts` : null,
        item.last_error ?? (item.last_status ? `answered ${item.last_status}` : null),
        when(item.updated_at ?? item.created_at),
      ].filter(Boolean),
  },
  "dead-letters": {
    plural: "Dead letters",
    none: "No dead letters.",
    items: (body) => body.dead_letters ?? body.messages,
    id: (item) => item.id ?? item.dead_letter_id,
    title: (item) => (item.queue ? `queue ${item.queue}` : "message"),
    detail: (item) =>
      [
        item.error ?? item.reason,
        when(item.received_at ?? item.created_at),
        typeof item.body === "string" ? preview(item.body) : null,
      ].filter(Boolean),
  },
};

const when = (iso) => (iso ? dateTime(iso) : null);
const preview = (text) => (text.length > 120 ? `${text.slice(0, 119)}…` : text);

/** The answer's list: under the name the kind expects, or the first array in the body. */
function itemsOf(kind, body) {
  const named = kind.items(body ?? {});
  if (Array.isArray(named)) return named;
  return Object.values(body ?? {}).find(Array.isArray) ?? [];
}

export class ReplayPanel {
  /** `read()` lists, `replay(id)` puts one back; `onRefused(error)` is true when the session was refused. */
  constructor(panel, { name, read, replay, onRefused }) {
    this.kind = KINDS[name];
    this.read = read;
    this.replay = replay;
    this.onRefused = onRefused;
    this.status = panel.querySelector(`[data-testid="${name}-empty"]`);
    this.list = panel.querySelector(`[data-testid="${name}-list"]`);
    this.said = panel.querySelector(`[data-testid="${name}-status"]`);
    this.loaded = false;
  }

  async refresh() {
    let body;
    try {
      body = await this.read();
    } catch (error) {
      if (error instanceof ApiError && this.onRefused(error)) return;
      if (notBuilt(error))
        showStatus(this.status, "unavailable", `${this.kind.plural} are not available yet.`, this.list);
      else if (!this.loaded) showStatus(this.status, "error", `Could not load (${error.message}).`, this.list);
      return;
    }
    this.loaded = true;
    const items = itemsOf(this.kind, body);
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
        h("p", { className: "replay-detail" }, this.kind.detail(item).join(" · ")),
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
    } catch (error) {
      if (error instanceof ApiError && this.onRefused(error)) return;
      button.disabled = false;
      this.said.textContent = notBuilt(error)
        ? `Replay is not available yet for ${id}.`
        : `Could not replay ${id} (${error.message}).`;
    }
  }
}
