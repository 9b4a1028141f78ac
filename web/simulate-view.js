// Simulate: a negotiation between automated agents (POST /api/negotiate)
// runs as a job on the server; the page polls it and shows each offer as it
// appears, then the result.
import { call, pollJob, errorMessage } from "./api.js";
import { el, fill, fmt, table } from "./dom.js";
import { agentPickers } from "./agents.js";
import { actionRow, resultSummary } from "./trace.js";
import { UtilityChart } from "./chart.js";

export class SimulateView {
  constructor(app) {
    this.app = app;
    this.form = document.getElementById("sim-form");
    this.status = document.getElementById("sim-status");
    this.trace = document.getElementById("sim-trace");
    this.resultBox = document.getElementById("sim-result");
    this.chart = document.getElementById("sim-chart");
    this.startButton = document.getElementById("sim-start");
    this.cancelButton = document.getElementById("sim-cancel");
    this.job = null;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.run();
    });
    this.protocol = document.getElementById("sim-protocol");
    this.startFrom = document.getElementById("sim-start-from");
    this.protocol.addEventListener("change", () => (this.startFrom.disabled = this.protocol.value !== "mediated"));
    this.cancelButton.addEventListener("click", () => {
      if (this.job) this.job.cancelled = true;
    });
  }

  async reset() {
    if (this.job) this.job.cancelled = true;
    fill(
      this.startFrom,
      el("option", { value: "" }, "a random draft"),
      (this.app.scenario.proposals || []).map((p) => el("option", { value: p.name }, p.name))
    );
    this.agents = await agentPickers(document.getElementById("sim-agents"), this.app.scenario.parties, "sim", "boulware");
    fill(this.status);
    fill(this.trace);
    fill(this.resultBox);
    fill(this.chart);
  }

  async run() {
    const sc = this.app.scenario;
    const mediated = this.protocol.value === "mediated";
    const body = this.app.withScenario({
      protocol: this.protocol.value,
      ...(mediated && this.startFrom.value ? { start_from: this.startFrom.value } : {}),
      agents: this.agents().join(","),
      rounds: Number(document.getElementById("sim-rounds").value),
      seed: Number(document.getElementById("sim-seed").value),
    });
    const job = { cancelled: false };
    this.job = job;
    this.startButton.disabled = true;
    this.cancelButton.disabled = false;
    fill(this.status, "starting…");
    fill(this.resultBox);
    const chart = new UtilityChart(this.chart, sc.parties.map((p) => p.name));
    const tbody = el("tbody", { id: "sim-rows" });
    fill(
      this.trace,
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, ["round", "party", "action", "package", ...sc.parties.map((p) => "u " + p.name)].map((h) => el("th", { scope: "col" }, h)))),
        tbody
      )
    );
    let shown = 0;
    try {
      const started = await call("POST", "/api/negotiate", body);
      job.id = started.job.id;
      const last = await pollJob(
        job.id,
        (j, events) => {
          for (; shown < events.length; shown++) {
            if (!events[shown]) continue;
            tbody.appendChild(actionRow(sc, events[shown], events[shown - 1]));
            chart.add(events[shown]);
          }
          chart.draw();
          if (j.state === "running" || j.state === "queued") {
            const p = j.progress || {};
            fill(this.status, j.state + ": " + (p.done || 0) + " of " + (p.total || "?") + " " + (p.unit || "rounds") + ", " + events.length + " actions");
          }
        },
        () => job.cancelled
      );
      if (last.state === "done") {
        fill(this.status, resultSummary(sc, last.result.negotiation));
        this.status.dataset.end = last.result.negotiation.reason ? last.result.negotiation.reason.kind : "";
        fill(this.resultBox, finalTable(sc, last.result.negotiation));
      } else if (last.state === "cancelled") {
        fill(this.status, "Cancelled after " + shown + " actions.");
        this.status.dataset.end = "cancelled";
      } else {
        fill(this.status, "Failed: " + errorMessage(last.error));
      }
    } catch (e) {
      fill(this.status, "");
      this.app.showError(e, "The negotiation could not run");
    } finally {
      if (this.job === job) this.job = null;
      this.startButton.disabled = false;
      this.cancelButton.disabled = true;
    }
  }
}

function finalTable(sc, n) {
  const rows = sc.parties.map((p, k) => [p.name, n.agents ? n.agents[k] : "", { text: fmt(n.utilities[k]), class: "num" }]);
  return el(
    "div",
    { id: "sim-final" },
    el("h3", {}, "Result"),
    table(["party", "agent", "utility"], rows),
    el(
      "p",
      { class: "muted" },
      "Distance to the Pareto frontier " + fmt(n.pareto_distance) + ", to the Nash solution " + fmt(n.nash_distance) + "; welfare (sum of utilities) " + fmt(n.welfare) + "."
    )
  );
}
