// @ts-check
/**
 * What a panel shows in place of its content: a one-line status (loading, empty, not available
 * yet, failed) in its `[data-testid$="-empty"]` paragraph, or the content with the status hidden.
 * `data-kind` says which, so tests and styles need not read the words.
 */
export function showStatus(status, kind, text, ...content) {
  status.hidden = false;
  status.dataset.kind = kind;
  status.textContent = text;
  for (const element of content) element.hidden = true;
}

export function showContent(status, ...content) {
  status.hidden = true;
  status.dataset.kind = "";
  for (const element of content) element.hidden = false;
}
