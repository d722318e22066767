// @ts-check
/**
 * The console's daily reports, from GET /v1/reports: each day's CSVs (sellers, products) with their
 * size, downloaded through the API (GET /v1/reports/{date}?kind=, with the session's token, which a
 * plain link cannot carry) and handed to the browser as a file.
 */
import { h } from "./dom.js";
import { showContent, showStatus } from "./panel-status.js";

const count = new Intl.NumberFormat(undefined);
const size = (bytes) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
const KINDS = { sellers: "Sellers", products: "Products" };

export class ReportsPanel {
  /** `list()`, `download(date, kind)` (the CSV's text); `platform` names the files. */
  constructor(panel, { list, download, platform, onError }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.listReports = list;
    this.download = download;
    this.platform = platform;
    this.onError = onError;
    this.status = part("reports-empty");
    this.table = part("reports-table");
    this.said = part("reports-status");
  }

  async refresh() {
    let body;
    try {
      body = await this.listReports();
    } catch (error) {
      if (!this.onError(error) && this.table.hidden)
        showStatus(
          this.status,
          "error",
          `Could not load reports (${/** @type {Error} */ (error).message}).`,
          this.table,
        );
      return;
    }
    if (body.reports.length === 0)
      return showStatus(this.status, "empty", "No reports yet: each is written after midnight UTC.", this.table);
    this.table.tBodies[0].replaceChildren(
      ...body.reports.map((r) => {
        const button = h("button", { type: "button", className: "button-quiet" }, "Download CSV");
        button.setAttribute("aria-label", `Download CSV of the ${r.kind} report of ${r.date}`);
        button.addEventListener("click", () => this.save(r, button));
        return h(
          "tr",
          { dataset: { date: r.date, kind: r.kind, testid: "report-row" } },
          h("th", { scope: "row", dataset: { label: "Day" } }, r.date),
          h("td", { dataset: { label: "Report" } }, KINDS[r.kind] ?? r.kind),
          h("td", { className: "num", dataset: { label: "Rows" } }, count.format(r.rows)),
          h("td", { className: "num", dataset: { label: "Size" } }, size(r.bytes)),
          h("td", {}, button),
        );
      }),
    );
    showContent(this.status, this.table);
  }

  async save(report, button) {
    button.disabled = true;
    try {
      const csv = await this.download(report.date, report.kind);
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
      const link = h("a", { href: url, download: `${this.platform}-${report.date}-${report.kind}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.said.textContent = `Downloaded the ${report.kind} report of ${report.date}.`;
    } catch (error) {
      if (!this.onError(error))
        this.said.textContent = `Could not download it (${/** @type {Error} */ (error).message}).`;
    } finally {
      button.disabled = false;
    }
  }
}
