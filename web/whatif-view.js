// What if: edit reservation values, thresholds, weights and value tables of
// the working copy; the analysis (zone, blocking issues, delta*, solutions)
// is recomputed by the engine after each edit (POST /api/analyze). Small
// scenarios answer at once; large ones come back as a job, shown with its
// progress and a Cancel button.
import { call, pollJob, jobShare, ApiError, errorMessage } from "./api.js";
import { el, fill, fmt, count, table, debounce } from "./dom.js";
import { valueRows } from "./model.js";
import { describeOutcome } from "./outcome.js";

export class WhatIfView {
  constructor(app) {
    this.app = app;
    this.editor = document.getElementById("whatif-editor");
    this.result = document.getElementById("whatif-result");
    this.jobBox = document.getElementById("whatif-job");
    this.progress = document.getElementById("whatif-progress");
    this.seq = 0;
    this.job = null; // {id, cancelled}
    this.analysis = null;
    this.stale = true;
    document.getElementById("whatif-reset").addEventListener("click", () => this.app.revert());
    document.getElementById("whatif-cancel").addEventListener("click", () => this.cancel());
    this.reanalyse = debounce(() => this.analyse(), 50);
  }

  reset() {
    fill(this.result); // another scenario: the old numbers would mislead
    this.buildEditor();
    this.stale = true;
    if (!document.getElementById("view-whatif").hidden) this.analyse();
  }

  edited() {
    this.stale = true;
    this.reanalyse();
  }

  shown() {
    if (this.stale) this.analyse();
  }

  buildEditor() {
    const sc = this.app.scenario;
    const number = (label, value, onInput, id) =>
      el("input", {
        type: "number",
        min: "0",
        max: "1",
        step: "0.01",
        value: String(value),
        "aria-label": label,
        id,
        oninput: (e) => {
          const x = Number(e.target.value);
          if (e.target.value === "" || !Number.isFinite(x)) return;
          onInput(x);
          this.app.scenarioEdited();
        },
      });
    const slug = (s) => s.replace(/[^A-Za-z0-9]+/g, "-");
    const actors = [...sc.parties, ...(sc.ratifiers || [])];
    const sums = actors.map(() => el("span", { class: "num" }));
    fill(
      this.editor,
      el("h3", {}, "Walk-away points"),
      table(
        ["actor", "kind", "value"],
        [
          ...sc.parties.map((p) => [
            p.name,
            "reservation value",
            number("reservation value of " + p.name, p.reservation || 0, (x) => (p.reservation = x), "wi-res-" + slug(p.name)),
          ]),
          ...(sc.ratifiers || []).map((q) => [
            q.name,
            "ratification threshold",
            number("threshold of " + q.name, q.threshold, (x) => (q.threshold = x), "wi-thr-" + slug(q.name)),
          ]),
        ]
      ),
      el(
        "details",
        {},
        el("summary", {}, "Weights"),
        el("p", { class: "hint" }, "Each actor's weights must add up to 1 (parley's reading of the file)."),
        table(
          ["issue", ...actors.map((a) => a.name)],
          [
            ...sc.issues.map((i) => [
              i.name,
              ...actors.map((a, k) =>
                number("weight of " + i.name + " for " + a.name, (a.weights && a.weights[i.name]) || 0, (x) => {
                  a.weights = a.weights || {};
                  a.weights[i.name] = x;
                  showSum(sums[k], a);
                })
              ),
            ]),
            [el("strong", {}, "sum"), ...sums.map((cell, k) => showSum(cell, actors[k]))],
          ]
        )
      ),
      el(
        "details",
        {},
        el("summary", {}, "Value tables"),
        sc.issues.map((i) => {
          const t = valueRows(i, actors);
          if (!t) return null;
          return table(
            [i.name, ...t.actors.map((a) => a.name)],
            t.rows.map((r) => [
              r.label,
              ...r.cells.map((c, k) => number("value of " + i.name + " = " + r.label + " for " + t.actors[k].name, c.get(), (x) => c.set(x))),
            ])
          );
        })
      )
    );
  }

  cancel() {
    if (this.job) this.job.cancelled = true;
  }

  async analyse() {
    const seq = ++this.seq;
    this.stale = false;
    if (this.job) this.job.cancelled = true; // an older edit's job is no longer wanted
    const started = performance.now();
    this.result.classList.add("stale"); // until the new numbers are in
    try {
      let answer = await call("POST", "/api/analyze", this.app.withScenario({ mode: "auto" }));
      let seconds = answer.seconds;
      if (answer.job) {
        // a large scenario: the analysis runs as a job; show its progress
        const job = { id: answer.job.id, cancelled: false };
        this.job = job;
        this.jobBox.hidden = false;
        this.progress.removeAttribute("value"); // indeterminate until the job says
        const last = await pollJob(
          job.id,
          (j) => {
            const share = jobShare(j);
            if (seq !== this.seq) return;
            if (share !== null && share > 0) this.progress.value = share;
            const p = j.progress || {};
            fill(
              document.getElementById("whatif-elapsed"),
              j.state + ", " + ((performance.now() - started) / 1000).toFixed(1) + " s" + (p.total > 1 ? " (" + p.done + " of " + p.total + " " + (p.unit || "") + ")" : "")
            );
          },
          () => job.cancelled,
          200
        );
        if (this.job === job) {
          this.jobBox.hidden = true;
          this.job = null;
        }
        if (seq !== this.seq) return;
        if (last.state === "cancelled") {
          this.result.classList.remove("stale");
          fill(this.result, el("p", { class: "status", id: "whatif-cancelled" }, "Analysis cancelled."));
          return;
        }
        if (last.state !== "done") throw new ApiError(422, errorMessage(last.error), last);
        seconds = last.seconds;
        answer = last.result;
      }
      answer = answer.analysis;
      if (seq !== this.seq) return;
      this.analysis = answer;
      this.result.classList.remove("stale");
      this.render(answer, performance.now() - started, seconds);
      this.app.clearError();
    } catch (e) {
      if (seq !== this.seq) return;
      this.jobBox.hidden = true;
      this.result.classList.remove("stale");
      fill(this.result, el("p", { class: "no", id: "whatif-error" }, e.message));
    }
  }

  render(a, ms, seconds) {
    const sc = this.app.scenario;
    const zone = a.agreements;
    const open = zone > 0;
    const rows = [
      ["outcomes", count(a.outcomes), "every combination of issue values"],
      ["feasible", count(a.feasible), "meet every constraint"],
      ...sc.parties.map((p) => ["acceptable to " + p.name, count(a.acceptable && a.acceptable[p.name]), "red lines kept, utility ≥ " + fmt(p.reservation || 0)]),
      ...(sc.ratifiers || []).map((q) => ["approved by " + q.name, count(a.approved && a.approved[q.name]), "utility ≥ " + fmt(q.threshold)]),
      [el("strong", {}, "agreement zone"), el("strong", { id: "whatif-zone" }, count(zone)), "acceptable to all, ratifiable"],
    ];
    fill(
      this.result,
      el(
        "div",
        { class: "verdict " + (open ? "in" : "out"), id: "whatif-verdict" },
        open
          ? "The zone is open: " + count(zone) + " package" + (zone === 1 ? "" : "s") + " can be accepted by every party and ratified."
          : "No package can be accepted by every party and ratified."
      ),
      el("p", { class: "muted" }, (this.app.edited ? "Edited scenario" : "Scenario as loaded") + "; analysed in " + (seconds !== undefined ? (seconds * 1000).toFixed(1) + " ms by the engine, " : "") + Math.round(ms) + " ms end to end (" + (a.method || "") + ")."),
      table(["", "packages", ""], rows, "Deal space"),
      blocking(a),
      concession(sc, a),
      solutions(sc, a)
    );
  }
}

// The sum of an actor's weights, flagged when it is not 1 (the loader's
// rule under parley's reading: within 1e-6).
function showSum(cell, actor) {
  const total = Object.values(actor.weights || {}).reduce((x, w) => x + w, 0);
  cell.textContent = total.toFixed(3);
  cell.className = Math.abs(total - 1) <= 1e-6 ? "num" : "num no";
  return cell;
}

function blocking(a) {
  if (!a.blocking || !a.blocking.length) return null;
  return [
    el("h3", {}, "What holds the deal up"),
    table(
      ["blocking", "slack", "partial packages"],
      a.blocking.map((b) => [b.issues.join(" + "), { text: fmt(b.slack), class: "num" }, { text: count(b.partial_packages), class: "num" }])
    ),
  ];
}

function concession(sc, a) {
  const c = a.concession;
  if (!c || c.delta === null || c.delta === undefined) return null;
  const short = Object.entries(c.shortfalls || {}).filter(([, v]) => v > 0);
  return [
    el("h3", {}, "Minimal uniform concession"),
    el(
      "p",
      {},
      "δ* = ",
      el("strong", { id: "whatif-delta" }, fmt(c.delta)),
      ": lowering every reservation value and ratification threshold by δ* opens the zone",
      short.length ? " (short at its first package: " + short.map(([n, v]) => n + " " + fmt(v)).join(", ") + ")" : "",
      "."
    ),
    c.point ? describeOutcome(sc, c.point) : null,
  ];
}

function solutions(sc, a) {
  const s = a.solutions || {};
  const names = { nash: "Nash", kalai_smorodinsky: "Kalai–Smorodinsky", egalitarian: "egalitarian", utilitarian: "utilitarian" };
  const present = Object.keys(names).filter((k) => s[k]);
  if (!present.length) return el("p", { class: "muted" }, "No bargaining solutions: the zone is empty.");
  return [
    el("h3", {}, "Bargaining solutions (in the zone)"),
    table(
      ["issue", ...present.map((k) => names[k])],
      [
        ...sc.issues.map((i) => [i.name, ...present.map((k) => String(s[k].outcome[i.name]))]),
        ...sc.parties.map((p, j) => [el("em", {}, p.name), ...present.map((k) => ({ text: fmt(s[k].utilities[j]), class: "num" }))]),
      ]
    ),
  ];
}
