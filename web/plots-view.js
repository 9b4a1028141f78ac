// Plots: the SVG plots of `parley report` (src/report/), drawn by the server
// for the working copy (POST /api/plots), shown inline.
import { call } from "./api.js";
import { el, fill } from "./dom.js";

export class PlotsView {
  constructor(app) {
    this.app = app;
    this.body = document.getElementById("plots-body");
    this.stale = true;
    this.seq = 0;
    document.getElementById("plots-refresh").addEventListener("click", () => this.draw());
  }

  reset() {
    this.stale = true;
    if (!document.getElementById("view-plots").hidden) this.draw();
  }

  edited() {
    this.reset();
  }

  shown() {
    if (this.stale) this.draw();
  }

  async draw() {
    const seq = ++this.seq;
    this.stale = false;
    fill(this.body, el("p", { class: "muted" }, "drawing…"));
    try {
      const answer = await call("POST", "/api/plots", this.app.withScenario({}));
      if (seq !== this.seq) return;
      fill(
        this.body,
        answer.plots.length ? null : el("p", { class: "muted" }, "no plots for this scenario"),
        answer.plots.map((p) => {
          const node = svgNode(p.svg);
          const title = node.querySelector && node.querySelector("title");
          return el("figure", { class: "plot", "data-plot": p.name }, el("figcaption", {}, el("strong", {}, title ? title.textContent : p.name)), node);
        })
      );
    } catch (e) {
      if (seq !== this.seq) return;
      fill(this.body, el("p", { class: "no" }, e.message));
    }
  }
}

// Parses an SVG document into a node of this page. The server's SVG writer
// escapes every name it prints; scripts and event attributes are dropped all
// the same, so a plot can never run code in the page.
function svgNode(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.nodeName !== "svg") return el("p", { class: "no" }, "the server sent an unreadable plot");
  for (const s of root.querySelectorAll("script, foreignObject")) s.remove();
  for (const node of [root, ...root.querySelectorAll("*")]) {
    for (const attr of [...node.attributes]) if (/^on/i.test(attr.name)) node.removeAttribute(attr.name);
  }
  return document.importNode(root, true);
}
