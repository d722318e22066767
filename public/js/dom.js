/**
 * Building DOM nodes from code: `h("td", { className: "num" }, text)`. Children go in as text
 * nodes, never as HTML, so ids and names that come from the API cannot inject markup.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.includes("-")) element.setAttribute(key, value === true ? "" : String(value));
    else element[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? child : child instanceof Node ? child : String(child));
  }
  return element;
}

export const byTestId = (id, root = document) => root.querySelector(`[data-testid="${id}"]`);
