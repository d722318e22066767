/**
 * The console's sellers table, from GET /v1/ops/sellers: health, trailing-7-day rates and open
 * alerts, flagged sellers first with their reasons; sorted by the API (`sort=`), paged with its
 * cursor, searched by id within the page; a row opens that seller's dashboard (`?seller=`).
 */
import { ApiError, notBuilt } from "./api.js";
import { h } from "./dom.js";
import { showContent, showStatus } from "./panel-status.js";

const PAGE_SIZE = 25;

const sellerHref = (id) => `/?${new URLSearchParams({ seller: id })}`;

/** Why a seller is flagged, in words (the reasons are alert types); one not known here as it comes. */
const REASONS = {
  "sla.breached": "missed a shipping deadline",
  "sla.at_risk": "an order may ship late",
  "threshold.sla_compliance": "SLA compliance below target",
  "threshold.cancellation_rate": "cancels too many orders",
  "threshold.avg_rating": "low average rating",
  "anomaly.gmv": "unusual GMV",
  "anomaly.orders": "unusual orders",
};
const reasonWords = (reasons) => reasons.map((reason) => REASONS[reason] ?? reason).join(" · ");

/** Flagged sellers first, each group in the order the API sorted it. */
const flaggedFirst = (rows) => [...rows.filter((r) => r.flagged), ...rows.filter((r) => !r.flagged)];

function healthCell(health) {
  const tone = health === null || health === undefined ? "" : health < 50 ? "bad" : health < 80 ? "warn" : "good";
  const meter = h("span", { className: "health-bar", "aria-hidden": "true" }, h("span", { className: "health-fill" }));
  meter.firstChild.style.width = `${Math.max(0, Math.min(100, health ?? 0))}%`;
  return h("td", { className: "num health", dataset: { tone, label: "Health" } }, meter, health ?? "—");
}

/** A figure's cell; `data-label` names it where a phone shows each row as a card (no header row). */
const figureCell = (label, text) => h("td", { className: "num", dataset: { label } }, text);

export class SellersPanel {
  /** `read({ sort, flagged, cursor, limit })`; `onRefused(error)` is true when the session was refused. */
  constructor(panel, { read, format, onRefused }) {
    this.panel = panel;
    this.read = read;
    this.format = format;
    this.onRefused = onRefused;
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.status = part("sellers-empty");
    this.table = part("sellers-table");
    this.controls = part("sellers-controls");
    this.pager = part("sellers-pager");
    this.search = part("sellers-search");
    this.sort = part("sellers-sort");
    this.flagged = part("sellers-flagged");
    this.previous = part("sellers-previous");
    this.next = part("sellers-next");
    this.pageLabel = part("sellers-page");
    /** The cursor of each page seen so far: page n is read with cursors[n]. */
    this.cursors = [undefined];
    this.page = 0;
    this.answer = null;
    this.seq = 0;

    const restart = () => {
      this.cursors = [undefined];
      this.page = 0;
      this.refresh();
    };
    this.sort.addEventListener("change", restart);
    this.flagged.addEventListener("change", restart);
    this.search.addEventListener("input", () => this.draw());
    this.previous.addEventListener("click", () => this.turn(-1));
    this.next.addEventListener("click", () => this.turn(1));
    // A click anywhere on a row opens the seller; the link in its first cell is the keyboard's way.
    this.table.tBodies[0].addEventListener("click", (event) => {
      const row = event.target.closest("tr[data-seller]");
      if (row && !event.target.closest("a")) location.assign(sellerHref(row.dataset.seller));
    });
  }

  turn(step) {
    const page = this.page + step;
    if (page < 0 || page >= this.cursors.length) return;
    this.page = page;
    this.refresh();
  }

  async refresh() {
    const seq = ++this.seq;
    try {
      const answer = await this.read({
        sort: this.sort.value,
        flagged: this.flagged.checked,
        cursor: this.cursors[this.page],
        limit: PAGE_SIZE,
      });
      if (seq !== this.seq) return;
      this.answer = answer;
      this.cursors.length = this.page + 1;
      if (answer.next_cursor) this.cursors.push(answer.next_cursor);
      this.draw();
    } catch (error) {
      if (seq !== this.seq || (error instanceof ApiError && this.onRefused(error))) return;
      if (notBuilt(error)) {
        showStatus(
          this.status,
          "unavailable",
          "The sellers list is not available yet. Meanwhile, open a seller by id above.",
          this.table,
          this.controls,
          this.pager,
        );
      } else if (!this.answer) {
        showStatus(this.status, "error", `Could not load sellers (${error.message}).`, this.table, this.pager);
      }
    }
  }

  draw() {
    const { sellers } = this.answer;
    const query = this.search.value.trim().toLowerCase();
    const rows = flaggedFirst(sellers).filter((s) => s.seller_id.toLowerCase().includes(query));
    this.controls.hidden = false;
    this.pager.hidden = this.cursors.length <= 1 && this.page === 0;
    this.previous.disabled = this.page === 0;
    this.next.disabled = this.page + 1 >= this.cursors.length;
    this.pageLabel.textContent = `Page ${this.page + 1}`;
    if (rows.length === 0) {
      const typed = this.search.value.trim();
      showStatus(
        this.status,
        "empty",
        sellers.length === 0
          ? this.flagged.checked
            ? "No flagged sellers."
            : "No sellers yet."
          : `No seller on this page matches “${typed}”.`,
        this.table,
      );
      if (typed && sellers.length > 0) {
        this.status.append(" ", h("a", { href: sellerHref(typed) }, `Open seller “${typed}”`));
      }
      return;
    }
    const f = this.format;
    this.table.tBodies[0].replaceChildren(
      ...rows.map((s) =>
        h(
          "tr",
          { className: s.flagged ? "flagged" : "", dataset: { seller: s.seller_id, testid: "seller-row" } },
          h(
            "th",
            { scope: "row" },
            h("a", { href: sellerHref(s.seller_id) }, s.seller_id),
            s.flagged ? h("span", { className: "badge flag" }, "Flagged") : null,
            s.flagged && s.reasons?.length
              ? h("span", { className: "reasons", dataset: { reasons: s.reasons.join(" ") } }, reasonWords(s.reasons))
              : null,
          ),
          healthCell(s.health),
          figureCell("GMV 7d", f.money(s.gmv_7d)),
          figureCell("Orders 7d", f.count(s.orders_7d)),
          figureCell("SLA", f.percent(s.sla_compliance)),
          figureCell("Acceptance", f.percent(s.acceptance_rate)),
          figureCell("Cancellation", f.percent(s.cancellation_rate)),
          figureCell("Rating", f.rating(s.avg_rating)),
          figureCell("Open alerts", f.count(s.open_alerts)),
        ),
      ),
    );
    showContent(this.status, this.table);
  }
}
