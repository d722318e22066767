// @ts-check
/**
 * The console's audit log, from GET /v1/ops/audit: who did what and when, newest first, a page at
 * a time ("Show older entries"); admin commands appear as "admin".
 */
import { h } from "./dom.js";
import { dateTime } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";

export class AuditPanel {
  /** `read(cursor)`; `onError(error)` is true when the console took it. */
  constructor(panel, { read, onError }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.read = read;
    this.onError = onError;
    this.status = part("audit-empty");
    this.table = part("audit-table");
    this.more = part("audit-more");
    this.next = null;
    this.seq = 0;
    this.more.addEventListener("click", () => this.load(this.next));
  }

  refresh() {
    return this.load(undefined);
  }

  async load(cursor) {
    const seq = ++this.seq;
    let page;
    try {
      page = await this.read(cursor);
    } catch (error) {
      if (seq !== this.seq || this.onError(error)) return;
      if (this.table.hidden)
        showStatus(
          this.status,
          "error",
          `Could not load the audit log (${/** @type {Error} */ (error).message}).`,
          this.table,
        );
      return;
    }
    if (seq !== this.seq) return;
    const rows = page.entries.map((e) =>
      h(
        "tr",
        { dataset: { action: e.action, testid: "audit-entry" } },
        h("td", { dataset: { label: "When" } }, dateTime(e.at)),
        h("td", { dataset: { label: "Who" } }, e.actor),
        h("td", { dataset: { label: "What" } }, h("code", {}, e.action)),
        h("td", { className: "audit-subject", dataset: { label: "To what" } }, e.subject ?? "—"),
      ),
    );
    if (cursor === undefined) this.table.tBodies[0].replaceChildren(...rows);
    else this.table.tBodies[0].append(...rows);
    this.next = page.next_cursor;
    this.more.hidden = !page.next_cursor;
    if (this.table.tBodies[0].children.length === 0)
      showStatus(this.status, "empty", "Nothing audited yet.", this.table);
    else showContent(this.status, this.table);
  }
}
