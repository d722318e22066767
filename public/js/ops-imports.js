// @ts-check
/**
 * The console's imports, from GET /v1/imports (newest first, a page at a time) with each one's
 * progress; opening one reads GET /v1/imports/{id} for its rejected lines (the first 100) and why.
 * While any import on the page is under way, the page is read again every few seconds.
 */
import { h } from "./dom.js";
import { dateTime } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";

const FOLLOW_MS = 3_000;
const count = new Intl.NumberFormat(undefined);
const STATES = { queued: "Queued", running: "Importing", done: "Done", failed: "Failed" };

export class ImportsPanel {
  /** `list(cursor)`, `one(id)`; `onError(error)` is true when the console took it. */
  constructor(panel, { list, one, onError }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.listImports = list;
    this.one = one;
    this.onError = onError;
    this.status = part("imports-empty");
    this.list = part("imports-list");
    this.more = part("imports-more");
    this.next = null;
    this.timer = 0;
    this.more.addEventListener("click", () => this.load(this.next));
  }

  refresh() {
    return this.load(undefined);
  }

  async load(cursor) {
    clearTimeout(this.timer);
    let page;
    try {
      page = await this.listImports(cursor);
    } catch (error) {
      if (!this.onError(error) && this.list.hidden)
        showStatus(
          this.status,
          "error",
          `Could not load imports (${/** @type {Error} */ (error).message}).`,
          this.list,
        );
      return;
    }
    // An import opened to show its rejected lines stays open when the page is read again.
    const open = new Set([...this.list.querySelectorAll("details[open]")].map((d) => d.dataset.id));
    const items = page.imports.map((i) => this.itemOf(i, open.has(i.import_id)));
    if (cursor === undefined) this.list.replaceChildren(...items);
    else this.list.append(...items);
    this.next = page.next_cursor;
    this.more.hidden = !page.next_cursor;
    if (this.list.children.length === 0)
      showStatus(this.status, "empty", "No imports yet (npm run import uploads a file).", this.list);
    else showContent(this.status, this.list);
    if (cursor === undefined && page.imports.some((i) => i.state === "queued" || i.state === "running"))
      this.timer = setTimeout(() => this.refresh(), FOLLOW_MS);
  }

  itemOf(item, open) {
    const share = item.rows_total > 0 ? item.rows_done / item.rows_total : item.state === "done" ? 1 : 0;
    const meter = h("progress", { max: 1, value: share, className: "import-progress" });
    meter.setAttribute("aria-label", `${item.import_id}: ${Math.round(share * 100)}% of its rows judged`);
    const summary = h(
      "summary",
      {},
      h("span", { className: "import-id" }, h("code", {}, item.import_id), ` ${STATES[item.state] ?? item.state}`),
      meter,
      h(
        "span",
        { className: "replay-detail" },
        [
          `${count.format(item.rows_done)} of ${count.format(item.rows_total)} rows`,
          `${count.format(item.rows_rejected)} rejected`,
          item.error,
          dateTime(item.created_at),
        ]
          .filter(Boolean)
          .join(" · "),
      ),
    );
    const details = h(
      "details",
      { className: "import", dataset: { id: item.import_id, state: item.state, testid: "import-item" } },
      summary,
      h("div", { className: "import-rejected" }, "Loading its rejected lines…"),
    );
    details.addEventListener("toggle", () => details.open && this.showRejected(item.import_id, details.lastChild));
    details.open = open;
    return h("li", {}, details);
  }

  async showRejected(id, into) {
    let found;
    try {
      found = await this.one(id);
    } catch (error) {
      if (!this.onError(error))
        into.textContent = `Could not load its rejected lines (${/** @type {Error} */ (error).message}).`;
      return;
    }
    if (found.rejected.length === 0) {
      into.textContent = "No line was rejected.";
      return;
    }
    into.replaceChildren(
      h(
        "ul",
        { className: "notes", dataset: { testid: "import-rejected" } },
        ...found.rejected.map((r) => h("li", { dataset: { line: r.line } }, `Line ${r.line}: ${r.errors.join("; ")}`)),
      ),
      found.rows_rejected > found.rejected.length
        ? h(
            "p",
            { className: "panel-note" },
            `The first ${found.rejected.length} of ${count.format(found.rows_rejected)} rejected lines.`,
          )
        : null,
    );
  }
}
