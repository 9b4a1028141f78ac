// Small DOM and formatting helpers shared by the views. Text always goes in
// through text nodes, never innerHTML, so names from a scenario file cannot
// inject markup.

/** el("td", {class: "num"}, "0.5") builds an element; children may be strings, nodes or arrays. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "value") node.value = value;
    // through the CSSOM: the page's Content-Security-Policy refuses style attributes
    else if (key === "style") node.style.cssText = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces the children of `node`. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A utility or threshold with three decimals, as the CLI prints them. */
export function fmt(x) {
  if (x === null || x === undefined) return "—";
  if (typeof x !== "number") return String(x);
  return x.toFixed(3);
}

/** A count with thousands separators (8,100). */
export function count(n) {
  if (n === null || n === undefined) return "—";
  return Number(n).toLocaleString("en-US");
}

/** A table from a header row and body rows; cells may be strings or {text, class}. */
export function table(head, rows, caption) {
  const cell = (tag, c) => {
    if (c && typeof c === "object" && !(c instanceof Node) && !Array.isArray(c)) {
      return el(tag, { class: c.class, scope: tag === "th" ? c.scope || "col" : undefined }, c.text);
    }
    return el(tag, tag === "th" ? { scope: "col" } : {}, c);
  };
  return el(
    "table",
    {},
    caption ? el("caption", { class: "muted" }, caption) : null,
    el("thead", {}, el("tr", {}, head.map((h) => cell("th", h)))),
    el(
      "tbody",
      {},
      rows.map((r) => el("tr", {}, r.map((c) => cell("td", c))))
    )
  );
}

/** "accepts"/"REJECTS" style verdict cell. */
export function yesNo(ok, yes, no) {
  return { text: ok ? yes : no, class: ok ? "yes" : "no" };
}

/** A utility bar with a mark at the threshold. */
export function utilityBar(utility, threshold) {
  const ok = utility + 1e-9 >= threshold;
  const box = el("span", { class: "barbox", "aria-hidden": "true" });
  box.appendChild(el("span", { class: ok ? "bar" : "bar no", style: "width:" + Math.max(0, Math.min(1, utility)) * 100 + "%" }));
  box.appendChild(el("span", { class: "res", style: "left:" + Math.max(0, Math.min(1, threshold)) * 100 + "%" }));
  return box;
}

/** Calls `fn` once `ms` after the last call. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
