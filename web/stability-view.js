// Stability: a conflict in the Graph Model for Conflict Resolution
// (docs/stability.md) analysed by the server (POST /api/stability): the
// state table (each option taken or not, each decision maker's stability
// under each solution concept) and the equilibria.
import { call } from "./api.js";
import { el, fill, table } from "./dom.js";

const CONCEPTS = { nash: "Nash", gmr: "GMR", smr: "SMR", seq: "SEQ" };

export class StabilityView {
  constructor(app) {
    this.app = app;
    this.select = document.getElementById("stab-file");
    this.result = document.getElementById("stab-result");
    document.getElementById("stab-run").addEventListener("click", () => this.run());
    this.setFiles([]);
  }

  /** The files of DIR that may hold a conflict: .gmcr files and JSON. */
  setFiles(files) {
    const candidates = files.filter((f) => f.kind === "gmcr" || f.kind === "json");
    fill(
      this.select,
      el("option", { value: "" }, "built-in talks conflict"),
      candidates.map((f) => el("option", { value: f.path }, f.path))
    );
    const gmcr = candidates.find((f) => f.kind === "gmcr");
    if (gmcr) this.select.value = gmcr.path;
  }

  async run() {
    const path = this.select.value;
    fill(this.result, el("p", { class: "muted" }, "analysing…"));
    try {
      const answer = await call("POST", "/api/stability", path ? { path } : {});
      this.render(answer.stability);
    } catch (e) {
      fill(this.result, el("p", { class: "no", id: "stab-error" }, e.message));
    }
  }

  render(s) {
    const concepts = s.concepts.filter((c) => s.stable[c]);
    const dms = s.decision_makers.map((d) => d.name);
    const eq = (c, n) => (s.equilibria[c] || []).includes(n);
    const named = new Map();
    for (const f of s.focus || []) if (f.name) named.set(f.state, f.name);
    const rows = s.states.map((st) => [
      { text: String(st.number) + (named.has(st.number) ? " (" + named.get(st.number) + ")" : ""), class: "num" },
      ...st.yn.split("").map((c) => ({ text: c, class: c === "Y" ? "yes" : "muted" })),
      ...concepts.map((c) => {
        const stableFor = dms.filter((d) => (s.stable[c][d] || []).includes(st.number));
        return eq(c, st.number)
          ? { text: "equilibrium", class: "stable" }
          : { text: stableFor.length + "/" + dms.length + " stable", class: "muted" };
      }),
    ]);
    fill(
      this.result,
      el("p", {}, el("strong", {}, s.conflict.title || s.conflict.name), el("span", { class: "muted" }, " — " + s.conflict.file)),
      table(
        ["decision maker", "options"],
        s.decision_makers.map((d) => [d.name, d.options.join(", ")])
      ),
      el("h3", {}, "Equilibria"),
      el(
        "ul",
        { id: "stab-equilibria" },
        concepts.map((c) =>
          el("li", { "data-concept": c }, el("strong", {}, CONCEPTS[c] || c), ": ", (s.equilibria[c] || []).length ? "states " + s.equilibria[c].join(", ") : "none")
        )
      ),
      el("h3", {}, "State table"),
      el("p", { class: "hint" }, "Y: the option is taken. A state is an equilibrium under a concept when it is stable for every decision maker."),
      table(["state", ...s.options.map((o) => o.name + " (" + o.decision_maker + ")"), ...concepts.map((c) => CONCEPTS[c] || c)], rows)
    );
  }
}
