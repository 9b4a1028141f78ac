// The Package builder: one value per issue, judged live by the engine
// (POST /api/evaluate): each party's utility against its reservation value,
// red lines kept or broken, constraints, each ratifier's vote, in or out of
// the zone, and the nearest frontier point.
import { call } from "./api.js";
import { el, fill, fmt, table, yesNo, utilityBar } from "./dom.js";
import { packagePicker } from "./picker.js";
import { defaultPackage, ruleName, ruleText } from "./model.js";

export class PackageView {
  constructor(app) {
    this.app = app;
    this.form = document.getElementById("package-form");
    this.result = document.getElementById("package-result");
    this.start = document.getElementById("package-proposal");
    this.seq = 0;
    this.start.addEventListener("change", () => {
      const sc = this.app.scenario;
      const k = Number(this.start.value);
      if (k >= 0 && sc.proposals && sc.proposals[k]) {
        this.picker.set(sc.proposals[k].outcome);
        this.evaluate();
      }
    });
  }

  /** A new scenario (loaded or edited): rebuild the controls, keep the package when it still fits. */
  reset(keepPackage) {
    const sc = this.app.scenario;
    const old = keepPackage && this.picker ? this.picker.get() : null;
    fill(
      this.start,
      el("option", { value: "-1" }, "— choose a proposal —"),
      (sc.proposals || []).map((p, k) => el("option", { value: String(k) }, p.name))
    );
    this.picker = packagePicker(this.form, sc, defaultPackage(sc), () => this.evaluate(), "pkg");
    if (old) this.picker.set(old);
    this.evaluate();
  }

  async evaluate() {
    const seq = ++this.seq;
    const pkg = this.picker.get();
    // "Start from" names the proposal the package is, if it is one
    const sc = this.app.scenario;
    const same = (o) => sc.issues.every((i) => String(o[i.name]) === String(pkg[i.name]));
    this.start.value = String((sc.proposals || []).findIndex((p) => same(p.outcome)));
    try {
      const answer = await call("POST", "/api/evaluate", this.app.withScenario({ package: pkg }));
      if (seq !== this.seq) return; // a newer package is on its way
      this.render(answer);
      this.app.clearError();
    } catch (e) {
      if (seq !== this.seq) return;
      fill(this.result);
      this.app.showError(e);
    }
  }

  render(ev) {
    const sc = this.app.scenario;
    const inZone = !!ev.in_zone;
    const parties = sc.parties.map((p, k) => {
      const r = actorResult(ev.parties, p.name, k);
      const reservation = r.reservation !== undefined ? r.reservation : p.reservation || 0;
      const broken = brokenRedLines(p, r);
      return [
        el("strong", {}, p.name),
        { text: fmt(r.utility), class: "num" },
        { text: fmt(reservation), class: "num" },
        utilityBar(r.utility, reservation),
        broken.length ? { text: "broken: " + broken.join("; "), class: "no" } : (p.red_lines || []).length ? { text: "kept", class: "yes" } : "none",
        yesNo(r.accepts, "accepts", "REJECTS"),
      ];
    });
    const ratifiers = (sc.ratifiers || []).map((q, k) => {
      const r = actorResult(ev.ratifiers, q.name, k);
      const threshold = r.threshold !== undefined ? r.threshold : q.threshold;
      return [
        el("strong", {}, q.name),
        { text: fmt(r.utility), class: "num" },
        { text: fmt(threshold), class: "num" },
        utilityBar(r.utility, threshold),
        yesNo(r.approves, "approves", "REJECTS"),
      ];
    });
    const violated = violatedConstraints(sc, ev);
    fill(
      this.result,
      el(
        "div",
        { class: "verdict " + (inZone ? "in" : "out"), id: "package-verdict" },
        inZone
          ? "In the agreement zone: every party accepts and every ratifier approves."
          : "Out of the agreement zone" + (ev.feasible === false ? " (the package breaks a constraint)." : ": " + whoSaysNo(sc, ev) + ".")
      ),
      table(["party", "utility", "reservation", "", "red lines", "verdict"], parties, "Parties"),
      ratifiers.length ? table(["ratifier", "utility", "threshold", "", "vote"], ratifiers, "Ratifiers") : null,
      el("h3", {}, "Constraints"),
      (sc.constraints || []).length
        ? table(
            ["constraint", "rule", ""],
            sc.constraints.map((c, k) => {
              const name = ruleName(c, "constraint " + (k + 1));
              const broken = violated.includes(name) || violated.includes(ruleText(c));
              return [name, el("code", {}, ruleText(c)), yesNo(!broken, "holds", "BROKEN")];
            })
          )
        : el("p", { class: "muted" }, "no constraints"),
      nearestFrontier(sc, ev)
    );
  }
}

// The result of one actor: an array in actor order (docs/serve.md section 5).
export function actorResult(collection, name, index) {
  if (!collection) return {};
  if (Array.isArray(collection)) return collection.find((x) => x && x.name === name) || collection[index] || {};
  return collection[name] || {};
}

function brokenRedLines(party, r) {
  if (Array.isArray(r.red_lines)) return r.red_lines.filter((x) => x.holds === false).map((x) => x.name);
  if (r.red_lines_respected === false) return (party.red_lines || []).map((x, k) => ruleName(x, "red line " + (k + 1)));
  return [];
}

function violatedConstraints(sc, ev) {
  if (Array.isArray(ev.constraints)) return ev.constraints.filter((c) => c.holds === false).map((c) => c.name);
  return (ev.violated_constraints || []).map((x) => (typeof x === "string" ? x : x.name || x.rule));
}

function whoSaysNo(sc, ev) {
  const no = ev.rejected_by || [];
  return no.length ? no.map((n) => n + " rejects").join(", ") : "not every actor agrees";
}

function nearestFrontier(sc, ev) {
  const n = ev.nearest_frontier;
  const head = el("h3", {}, "Nearest frontier point");
  if (!n) return [head, el("p", { class: "muted" }, "not known (no frontier, or more than 10^6 packages)")];
  const changed = sc.issues.filter((i) => ev.package && String(ev.package[i.name]) !== String(n.package[i.name]));
  return [
    head,
    el(
      "p",
      { id: "package-nearest" },
      (n.of === "zone" ? "On the frontier of the agreement zone" : "On the frontier of all feasible packages (the zone is empty)") +
        ": distance " + fmt(n.distance) + " in the parties' utility space; utilities ",
      sc.parties.map((p, k) => (k ? ", " : "") + p.name + " " + fmt(n.utilities[k])),
      changed.length ? "; it changes " + changed.map((i) => i.name).join(", ") + "." : "; it is this package."
    ),
    table(
      ["issue", "this package", "frontier point"],
      sc.issues.map((i) => [
        i.name,
        ev.package ? String(ev.package[i.name]) : "",
        changed.includes(i) ? el("strong", {}, String(n.package[i.name])) : String(n.package[i.name]),
      ])
    ),
  ];
}
