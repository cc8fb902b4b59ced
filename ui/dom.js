// Building the page from data without ever parsing data as HTML.

/**
 * Makes an element: h("a", { href: "#/x", class: "link" }, "text", child).
 * Attributes whose value is null, undefined or false are left out; `true` sets an empty one.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces everything inside `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  for (const child of children.flat()) {
    if (child) parent.append(child);
  }
}

/** A file named `name` in the user's documents folder, as `app_info` gives it, written the way
 * this system writes paths. */
export const inFolder = (info, name) => `${info.documents_folder}${info.path_separator}${name}`;

/** Numbers as people read them: 1,234. */
export const count = (n) => Number(n).toLocaleString("en-GB");

/** "1 person", "2 people". */
export const people = (n) => `${count(n)} ${n === 1 ? "person" : "people"}`;

/** The core's message as a sentence: "the file is empty" → "The file is empty." */
export function sentence(text) {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** An error message box that screen readers announce. */
export function errorBox(message) {
  return h("div", { class: "message message-error", role: "alert" }, message);
}

/**
 * A labelled drop-down bound to `state[key]`: choosing an option stores it, sets the page back
 * to the first and calls `changed`.
 */
export function filterSelect(id, label, state, key, options, changed) {
  const element = h(
    "select",
    { id },
    options.map(([value, text]) => h("option", { value, selected: state[key] === value }, text)),
  );
  element.addEventListener("change", () => {
    state[key] = element.value;
    state.page = 0;
    changed();
  });
  return h("div", { class: "field" }, h("label", { for: id }, label), element);
}
