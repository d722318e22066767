// @ts-check
/**
 * "Daily reports": the days with a report (GET /reports), newest first, each with its two files
 * to download: the seller's own rows only (the API filters them for a seller's session). A file
 * is fetched with the session token and handed to the browser as a download. Each day's row
 * answers to `#report-<date>`, so the report.ready alert links to it.
 */
import { h, revealRow } from "./dom.js";
import { showContent, showStatus } from "./panel-status.js";

const KINDS = [
  ["sellers", "Sales and payouts"],
  ["products", "Products"],
];
const day = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});

const reportAnchor = (date) => `report-${date}`;

export class ReportsPanel {
  constructor(panel, { api, sellerId, onFailure }) {
    this.panel = panel;
    this.api = api;
    this.sellerId = sellerId;
    this.onFailure = onFailure;
    this.table = panel.querySelector("table");
    this.status = panel.querySelector("[data-testid=reports-empty]");
    this.said = panel.querySelector("[data-testid=reports-status]");
  }

  async refresh() {
    let list;
    try {
      list = (await this.api.reports()).reports;
    } catch (error) {
      this.onFailure(error);
      if (this.table.hidden)
        showStatus(
          this.status,
          "error",
          `Could not load reports (${/** @type {Error} */ (error).message}).`,
          this.table,
        );
      return;
    }
    const dates = [...new Set(list.map((r) => r.date))].sort().reverse();
    if (dates.length === 0) {
      showStatus(
        this.status,
        "empty",
        "Reports are written after each UTC day ends: yours appear here then.",
        this.table,
      );
      return;
    }
    this.table.tBodies[0].replaceChildren(
      ...dates.map((date) =>
        h(
          "tr",
          { id: reportAnchor(date), dataset: { date } },
          h("th", { scope: "row" }, day.format(new Date(`${date}T00:00:00Z`))),
          h(
            "td",
            {},
            KINDS.filter(([kind]) => list.some((r) => r.date === date && r.kind === kind)).map(([kind, words]) =>
              h(
                "button",
                {
                  type: "button",
                  className: "button-quiet",
                  dataset: { kind, testid: `report-${kind}` },
                  "aria-label": `Download ${words.toLowerCase()} of ${date} (CSV)`,
                  onclick: () => this.download(date, kind),
                },
                words,
              ),
            ),
          ),
        ),
      ),
    );
    showContent(this.status, this.table);
  }

  async download(date, kind) {
    this.said.textContent = `Preparing ${date}…`;
    try {
      const csv = await this.api.report(date, kind);
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
      const link = h("a", { href: url, download: `${this.sellerId}-${date}-${kind}.csv`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      const rows = csv.split(/\r?\n/).filter(Boolean).length - 1;
      this.said.textContent = `Downloaded ${date} (${rows} ${rows === 1 ? "row" : "rows"} of yours).`;
      this.panel.dataset.downloaded = `${date}:${kind}:${rows}`;
    } catch (error) {
      this.onFailure(error);
      this.said.textContent = `Could not download ${date} (${/** @type {Error} */ (error).message}).`;
    }
  }

  /** Shows a day's row and moves focus to it (the report.ready alert's link). */
  reveal(date) {
    const row = this.table.querySelector(`tr[data-date="${CSS.escape(date)}"]`);
    if (!row) return;
    revealRow(row);
  }
}
