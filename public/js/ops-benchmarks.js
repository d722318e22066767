// @ts-check
/**
 * The console's privacy budget and benchmark releases, from GET /v1/ops/benchmarks: the most ε
 * any seller spent in the last 365 days against the rolling cap (the meter in ρ, the quantity
 * that adds up), the releases (noised figures, as sellers see them) and what the runs noted
 * (sellers left out for their budget). Never any seller's own figures.
 */
import { cohortWords } from "./cohort.js";
import { h } from "./dom.js";
import { dateTime, dayRange } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";

const epsilon = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const share = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const count = new Intl.NumberFormat(undefined);
const counted = (n, word) => `${count.format(n)} ${n === 1 ? word : `${word}s`}`;

/** `answer` is `{ value }` (the endpoint's body), `{ unavailable: true }` or `{ error }`. */
export function renderBenchmarkReleases(root, answer) {
  const part = (id) => root.querySelector(`[data-testid="${id}"]`);
  const [budgetStatus, budget, releasesStatus, table, notes] = [
    "budget-empty",
    "budget-figures",
    "releases-empty",
    "releases-table",
    "runs-notes",
  ].map(part);
  if (!answer.value) {
    const [kind, text] = answer.unavailable
      ? ["unavailable", "not available yet."]
      : ["error", `could not be loaded (${answer.error.message}).`];
    if (budget.hidden) showStatus(budgetStatus, kind, `The privacy budget is ${text}`, budget);
    if (table.hidden) showStatus(releasesStatus, kind, `Benchmark releases are ${text}`, table, notes);
    return;
  }
  const { releases, budget: spend, runs } = answer.value;

  // ε does not add up across releases, ρ does: the meter and the share are the ρ spent of the ρ cap.
  const used =
    spend.rho && spend.rho.cap > 0 ? spend.rho.spent / spend.rho.cap : spend.cap > 0 ? spend.spent / spend.cap : 0;
  part("budget-period").textContent = "Per seller, over any 365 days (rolling)";
  part("budget-words").textContent =
    `The most any seller spent in the last 365 days: ε ${epsilon.format(spend.spent)} of ${epsilon.format(spend.cap)}${spend.delta ? ` at δ ${spend.delta}` : ""} (${share.format(used)} of the budget).`;
  part("budget-meter").style.width = `${Math.min(100, used * 100)}%`;
  const last = runs?.[0];
  part("budget-runs").textContent = last
    ? `Last run ${dateTime(last.released_at)}: ${counted(last.sellers, "seller")}, ${counted(last.releases, "release")}, ${count.format(last.suppressed)} suppressed, ${count.format(last.excluded)} left out for their budget.`
    : "No run yet.";
  showContent(budgetStatus, budget);

  const noted = (runs ?? []).filter((run) => run.note);
  notes.replaceChildren(...noted.map((run) => h("li", {}, `${dayRange(run.period.from, run.period.to)}: ${run.note}`)));
  if (releases.length === 0) {
    showStatus(releasesStatus, "empty", "No benchmark releases yet.", table);
    notes.hidden = noted.length === 0;
    return;
  }
  table.tBodies[0].replaceChildren(
    ...releases.map((release) =>
      h(
        "tr",
        { dataset: { testid: "release" } },
        h("th", { scope: "row" }, cohortWords(release.cohort), h("span", { className: "level" }, release.cohort.level)),
        h("td", {}, dayRange(release.period.from, release.period.to)),
        h("td", { className: "num" }, `≈ ${count.format(release.sellers)}`),
        h("td", { className: "num" }, epsilon.format(release.epsilon)),
        h("td", { className: "wide-only" }, dateTime(release.released_at)),
      ),
    ),
  );
  showContent(releasesStatus, table);
  notes.hidden = noted.length === 0;
}
