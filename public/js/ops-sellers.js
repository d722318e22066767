// @ts-check
/**
 * The console's sellers table, from GET /v1/ops/sellers: health, trailing-7-day rates, open alerts
 * and pending payout, flagged sellers first with their reasons; sorted by the API (`sort=`),
 * searched by the API across every page (`q=`: the ids that start with what is typed, as typed),
 * paged with its cursor; a row opens that seller's dashboard (`?seller=`).
 */
import { h } from "./dom.js";
import { typeWords } from "./ops-alert-words.js";
import { sellerHref } from "./ops-alerts.js";
import { showContent, showStatus } from "./panel-status.js";

const PAGE_SIZE = 25;
/** A search waits this long after the last key, so typing an id asks once. */
const TYPING_MS = 250;

const reasonWords = (reasons) => reasons.map(typeWords).join(" · ");

/** Flagged sellers first, each group in the order the API sorted it (not when sorting by payout). */
const flaggedFirst = (rows) => [...rows.filter((r) => r.flagged), ...rows.filter((r) => !r.flagged)];

function healthCell(health) {
  const tone = health < 50 ? "bad" : health < 80 ? "warn" : "good";
  const meter = h("span", { className: "health-bar", "aria-hidden": "true" }, h("span", { className: "health-fill" }));
  /** @type {HTMLElement} */ (meter.firstChild).style.width = `${Math.max(0, Math.min(100, health))}%`;
  return h("td", { className: "num health", dataset: { tone, label: "Health" } }, meter, String(health));
}

/** A figure's cell; `data-label` names it where a phone shows each row as a card (no header row). */
const figureCell = (label, text) => h("td", { className: "num", dataset: { label } }, text);

export class SellersPanel {
  /** `read({ sort, flagged, q, cursor, limit })`; `onError(error)` is true when the console took it. */
  constructor(panel, { read, format, onError }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.panel = panel;
    this.read = read;
    this.format = format;
    this.onError = onError;
    this.status = part("sellers-empty");
    this.table = part("sellers-table");
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
    this.typing = 0;

    this.sort.addEventListener("change", () => this.restart());
    this.flagged.addEventListener("change", () => this.restart());
    this.search.addEventListener("input", () => {
      clearTimeout(this.typing);
      this.typing = setTimeout(() => this.restart(), TYPING_MS);
    });
    this.previous.addEventListener("click", () => this.turn(-1));
    this.next.addEventListener("click", () => this.turn(1));
    // A click anywhere on a row opens the seller; the link in its first cell is the keyboard's way.
    this.table.tBodies[0].addEventListener("click", (event) => {
      const row = event.target.closest("tr[data-seller]");
      if (row && !event.target.closest("a")) location.assign(sellerHref(row.dataset.seller));
    });
  }

  /** Sorted another way (finance's "every seller by pending payout"), from the first page. */
  sortBy(sort) {
    this.sort.value = sort;
    this.restart();
  }

  restart() {
    this.cursors = [undefined];
    this.page = 0;
    return this.refresh();
  }

  turn(step) {
    const page = this.page + step;
    if (page < 0 || page >= this.cursors.length) return;
    this.page = page;
    this.refresh();
  }

  async refresh() {
    const seq = ++this.seq;
    const asked = { sort: this.sort.value, flagged: this.flagged.checked, q: this.search.value };
    let answer;
    try {
      answer = await this.read({ ...asked, cursor: this.cursors[this.page], limit: PAGE_SIZE });
    } catch (error) {
      if (seq !== this.seq || this.onError(error)) return;
      if (!this.answer)
        showStatus(
          this.status,
          "error",
          `Could not load sellers (${/** @type {Error} */ (error).message}).`,
          this.table,
          this.pager,
        );
      else if (/** @type {{ status?: number }} */ (error).status === 400)
        showStatus(this.status, "error", /** @type {Error} */ (error).message, this.table, this.pager);
      return;
    }
    if (seq !== this.seq) return;
    this.answer = answer;
    this.cursors.length = this.page + 1;
    if (answer.next_cursor) this.cursors.push(answer.next_cursor);
    this.panel.dataset.shown = `${asked.sort}:${asked.flagged}:${asked.q}:${this.page}`;
    this.draw(asked);
  }

  draw(asked) {
    const { sellers } = this.answer;
    const rows = asked.sort === "payout_pending" ? sellers : flaggedFirst(sellers);
    this.pager.hidden = this.cursors.length <= 1 && this.page === 0;
    this.previous.disabled = this.page === 0;
    this.next.disabled = this.page + 1 >= this.cursors.length;
    this.pageLabel.textContent = `Page ${this.page + 1}`;
    if (rows.length === 0) {
      const typed = asked.q;
      const text = typed
        ? `No seller's id starts with “${typed}”${asked.flagged ? " among the flagged" : ""}.`
        : asked.flagged
          ? "No flagged sellers."
          : "No sellers yet.";
      showStatus(this.status, "empty", text, this.table);
      if (typed) this.status.append(" ", h("a", { href: sellerHref(typed) }, `Open seller “${typed}”`));
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
            s.flagged && s.reasons.length
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
          figureCell("Pending payout", f.money(s.payout_pending)),
        ),
      ),
    );
    showContent(this.status, this.table);
  }
}
