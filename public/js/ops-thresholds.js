// @ts-check
/**
 * The console's thresholds editor, from GET and PUT /v1/ops/thresholds: each threshold with what it
 * does (the form says it beside each field), rates edited as percentages, checked in the page as the
 * API checks them (rates 0–100 %, the rating 1–5, the minimum volumes 1–10,000 whole), then saved
 * whole. The API audits the change and has every ledger judge its seller by the new values.
 */
import { dateTime } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";

/** A field's value as the API takes it: percentages back to fractions (rounded past float noise). */
function apiValueOf(input) {
  const value = Number(input.value);
  return input.dataset.scale ? Math.round((value / Number(input.dataset.scale)) * 1e6) / 1e6 : value;
}

export class ThresholdsPanel {
  /** `read()`, `save(thresholds)`; `onSaved()` after a save (the audit shows it). */
  constructor(panel, { read, save, onError, onSaved }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.read = read;
    this.save = save;
    this.onError = onError;
    this.onSaved = onSaved;
    this.status = part("thresholds-empty");
    this.form = part("thresholds-form");
    this.updated = part("thresholds-updated");
    this.said = part("thresholds-status");
    this.inputs = [...this.form.querySelectorAll("input[name]")];
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  async refresh() {
    let thresholds;
    try {
      thresholds = await this.read();
    } catch (error) {
      if (!this.onError(error))
        showStatus(
          this.status,
          "error",
          `Could not load thresholds (${/** @type {Error} */ (error).message}).`,
          this.form,
        );
      return;
    }
    this.fill(thresholds);
    showContent(this.status, this.form);
  }

  fill(thresholds) {
    for (const input of this.inputs) {
      const [group, field] = input.name.split(".");
      const value = thresholds[group][field];
      input.value = input.dataset.scale
        ? String(Math.round(value * Number(input.dataset.scale) * 1e6) / 1e6)
        : String(value);
    }
    this.updated.textContent = thresholds.updated_at
      ? `Set ${dateTime(thresholds.updated_at)}`
      : "The defaults: the platform has not set its own";
  }

  async submit() {
    // The browser's own checks (min, max, step, required) say which field and why, in its words.
    if (!this.form.reportValidity()) {
      this.said.textContent = "Not saved: a value is out of its range.";
      return;
    }
    const body = {};
    for (const input of this.inputs) {
      const [group, field] = input.name.split(".");
      body[group] = { ...body[group], [field]: apiValueOf(input) };
    }
    const button = this.form.querySelector("button[type=submit]");
    button.disabled = true;
    this.said.textContent = "Saving…";
    try {
      this.fill(await this.save(body));
      this.said.textContent =
        "Saved. Every seller is judged by these within a few minutes, and the audit log has the change.";
      this.onSaved();
    } catch (error) {
      if (!this.onError(error)) this.said.textContent = `Not saved: ${/** @type {Error} */ (error).message}`;
    } finally {
      button.disabled = false;
    }
  }
}
