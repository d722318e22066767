// @ts-check
/**
 * Building DOM nodes from code: `h("td", { className: "num" }, text)`. Children go in as text
 * nodes, never as HTML, so ids and names that come from the API cannot inject markup.
 */
/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props] properties set on the element; `dataset` merged; a name with a dash is an attribute
 * @param {...(Node | string | number | null | undefined | false | (Node | string | number | null | undefined | false)[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.includes("-")) element.setAttribute(key, value === true ? "" : String(value));
    else Reflect.set(element, key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? child : child instanceof Node ? child : String(child));
  }
  return element;
}

/**
 * The element with this `data-testid`: the page's markup has every one the code asks for.
 * @param {string} id
 * @param {ParentNode} [root]
 * @returns {HTMLElement}
 */
export const byTestId = (id, root = document) =>
  /** @type {HTMLElement} */ (root.querySelector(`[data-testid="${id}"]`));

/**
 * Marks a table row as the one asked for (a link from an alert), scrolls to it and gives it the focus.
 * @param {HTMLTableRowElement} row
 */
export function revealRow(row) {
  for (const other of row.parentElement?.querySelectorAll("tr[data-highlight]") ?? []) {
    delete (/** @type {HTMLElement} */ (other).dataset.highlight);
  }
  row.dataset.highlight = "";
  row.tabIndex = -1;
  row.scrollIntoView({ block: "center" });
  row.focus({ preventScroll: true });
}
