// @ts-check
/**
 * The console's seller tools, for one seller named by id: its order events that did not count and
 * why (GET /v1/ops/sellers/{id}/ignored-events, a page at a time), a rebuild of its ledger from the
 * event archive followed until it says whether it equals the live one (POST /v1/ops/rebuilds, then
 * GET /v1/ops/rebuilds/{id}), and signing the seller out of every session it has open (POST
 * /v1/sessions/revoke: a lost device, a staff member who left).
 */
import { h } from "./dom.js";
import { showContent, showStatus } from "./panel-status.js";

const FOLLOW_MS = 1_000;
const count = new Intl.NumberFormat(undefined);

export class SellerToolsPanel {
  /** `api`: ignoredEvents, startRebuild, rebuild, revokeSessions; `onChanged()` after an audited action. */
  constructor(panel, { api, onError, onChanged }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.panel = panel;
    this.api = api;
    this.onError = onError;
    this.onChanged = onChanged;
    this.input = part("tools-seller");
    this.content = part("tools-content");
    this.sellerId = part("tools-seller-id");
    this.status = part("ignored-empty");
    this.table = part("ignored-table");
    this.more = part("ignored-more");
    this.rebuildStatus = part("rebuild-status");
    this.differences = part("rebuild-differences");
    this.rebuildButton = part("rebuild-start");
    this.revokeButton = part("sessions-revoke");
    this.revokeStatus = part("sessions-status");
    this.seller = null;
    this.next = null;
    this.timer = 0;
    part("tools-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const seller = this.input.value.trim();
      if (!seller) {
        this.input.value = "";
        this.input.reportValidity();
        return;
      }
      this.open(seller);
    });
    this.more.addEventListener("click", () => this.loadIgnored(this.next));
    this.rebuildButton.addEventListener("click", () => this.rebuild());
    this.revokeButton.addEventListener("click", () => this.revokeSessions());
  }

  open(seller) {
    clearTimeout(this.timer);
    this.seller = seller;
    this.sellerId.textContent = seller;
    this.panel.dataset.seller = seller;
    this.rebuildStatus.textContent = "";
    this.differences.hidden = true;
    this.rebuildButton.disabled = false;
    this.revokeStatus.textContent = "";
    this.revokeButton.disabled = false;
    this.content.hidden = false;
    return this.loadIgnored(undefined);
  }

  async loadIgnored(cursor) {
    const seller = this.seller;
    let page;
    try {
      page = await this.api.ignoredEvents(seller, cursor);
    } catch (error) {
      if (!this.onError(error))
        showStatus(
          this.status,
          "error",
          `Could not load its ignored events (${/** @type {Error} */ (error).message}).`,
          this.table,
        );
      return;
    }
    if (seller !== this.seller) return;
    const rows = page.ignored_events.map((e) =>
      h(
        "tr",
        { dataset: { testid: "ignored-event" } },
        h("td", { dataset: { label: "Order" } }, e.order_id),
        h("td", { dataset: { label: "Event" } }, e.event_id),
        h("td", { dataset: { label: "Type" } }, h("code", {}, e.type)),
        h("td", { dataset: { label: "Why" } }, e.reason),
      ),
    );
    if (cursor === undefined) this.table.tBodies[0].replaceChildren(...rows);
    else this.table.tBodies[0].append(...rows);
    this.next = page.next_cursor;
    this.more.hidden = !page.next_cursor;
    if (this.table.tBodies[0].children.length === 0)
      showStatus(this.status, "empty", `Every order event of ${seller} counted.`, this.table);
    else showContent(this.status, this.table);
  }

  async revokeSessions() {
    const seller = this.seller;
    this.revokeButton.disabled = true;
    try {
      await this.api.revokeSessions(seller);
      this.onChanged();
      if (seller === this.seller)
        this.revokeStatus.textContent = `Every session of ${seller} until now has ended: a new link from the marketplace signs it in again.`;
    } catch (error) {
      if (!this.onError(error) && seller === this.seller)
        this.revokeStatus.textContent = `Could not sign ${seller} out (${/** @type {Error} */ (error).message}).`;
    }
    this.revokeButton.disabled = false;
  }

  async rebuild() {
    const seller = this.seller;
    this.rebuildButton.disabled = true;
    this.differences.hidden = true;
    this.rebuildStatus.textContent = `Rebuilding ${seller} from the archive…`;
    try {
      const { rebuild_id } = await this.api.startRebuild(seller);
      this.onChanged();
      await this.follow(seller, rebuild_id);
    } catch (error) {
      if (!this.onError(error))
        this.rebuildStatus.textContent = `Could not rebuild (${/** @type {Error} */ (error).message}).`;
      this.rebuildButton.disabled = false;
    }
  }

  async follow(seller, id) {
    if (seller !== this.seller) return;
    const r = await this.api.rebuild(id);
    if (r.state === "running") {
      this.rebuildStatus.textContent = `Rebuilding ${seller}: ${count.format(r.objects_read)} archive objects read, ${count.format(r.events_replayed)} events replayed…`;
      this.timer = setTimeout(() => this.follow(seller, id).catch((error) => this.onError(error)), FOLLOW_MS);
      return;
    }
    this.rebuildButton.disabled = false;
    this.panel.dataset.rebuilt = r.state;
    if (r.state === "failed") {
      this.rebuildStatus.textContent = `The rebuild failed: ${r.error ?? "no reason given"}.`;
      return;
    }
    this.rebuildStatus.textContent = r.equal
      ? `Rebuilt from ${count.format(r.events_replayed)} archived events: the summary equals the live one.`
      : `Rebuilt from ${count.format(r.events_replayed)} archived events: the summary differs from the live one in ${r.differences.length} ${r.differences.length === 1 ? "figure" : "figures"}.`;
    this.differences.replaceChildren(
      ...r.differences.map((d) =>
        h("li", {}, `${d.path}: live ${JSON.stringify(d.live)}, rebuilt ${JSON.stringify(d.rebuilt)}`),
      ),
    );
    this.differences.hidden = r.differences.length === 0;
  }
}
