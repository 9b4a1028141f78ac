// The parley workbench: the page's entry point. It loads the scenario the
// server holds, keeps the user's edited copy (What if), and hands both to the
// views. Every number shown comes from the engine through the API
// (docs/serve.md); the page computes no utility itself.
import { call } from "./api.js";
import { el, fill } from "./dom.js";
import { clone } from "./model.js";
import { renderScenario } from "./scenario-view.js";
import { PackageView } from "./package-view.js";
import { WhatIfView } from "./whatif-view.js";
import { PlotsView } from "./plots-view.js";
import { SimulateView } from "./simulate-view.js";
import { PlayView } from "./play-view.js";
import { StabilityView } from "./stability-view.js";

class App {
  constructor() {
    this.scenario = null; // the working copy, edited by What if
    this.original = null; // as loaded
    this.file = null;
    this.edited = false;
    this.files = [];
    this.errorBox = document.getElementById("error");
    this.views = {};
  }

  async start() {
    this.setUpTabs();
    document.getElementById("file-load").addEventListener("click", () => this.loadSelected());
    document.getElementById("download").addEventListener("click", () => this.download());
    this.views.package = new PackageView(this);
    this.views.whatif = new WhatIfView(this);
    this.views.plots = new PlotsView(this);
    this.views.simulate = new SimulateView(this);
    this.views.play = new PlayView(this);
    this.views.stability = new StabilityView(this);
    try {
      const [scenarioAnswer] = await Promise.all([call("GET", "/api/scenario"), this.refreshFiles()]);
      this.setScenario(scenarioAnswer);
    } catch (e) {
      this.showError(e);
    }
    // The browser test and bench/ read this mark: navigation start to a
    // page showing the scenario.
    performance.mark("parley-ready");
    document.body.dataset.ready = "1";
  }

  setUpTabs() {
    const tabs = [...document.querySelectorAll('nav.tabs [role="tab"]')];
    const select = (tab) => {
      for (const t of tabs) {
        const on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
      }
      const name = tab.id.replace("tab-", "");
      if (this.views[name] && this.views[name].shown) this.views[name].shown();
    };
    tabs.forEach((tab, k) => {
      tab.addEventListener("click", () => select(tab));
      tab.addEventListener("keydown", (e) => {
        const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
        if (!d) return;
        const next = tabs[(k + d + tabs.length) % tabs.length];
        next.focus();
        select(next);
      });
    });
    this.selectTab = (name) => select(document.getElementById("tab-" + name));
  }

  async refreshFiles() {
    const select = document.getElementById("file-select");
    let answer = { builtin: [], files: [] };
    try {
      answer = await call("GET", "/api/files");
    } catch (e) {
      this.showError(e, "Could not list the files");
    }
    this.files = answer.files || [];
    // Conflicts are analysed in Stability, not opened as scenarios.
    // The XML files of a GENIUS folder open with their folder: list the
    // folder, not its domain and profiles one by one.
    const folders = this.files.filter((f) => f.kind === "folder").map((f) => f.path + "/");
    const inFolder = (f) => folders.some((d) => f.path.startsWith(d) && !f.path.slice(d.length).includes("/"));
    const scenarios = this.files.filter((f) => f.kind !== "gmcr" && !(f.kind === "xml" && inFolder(f)));
    fill(
      select,
      el("optgroup", { label: "built-in" }, (answer.builtin || []).map((b) => el("option", { value: "builtin:" + b }, b))),
      scenarios.length
        ? el("optgroup", { label: answer.dir || "folder" }, scenarios.map((f) => el("option", { value: "file:" + f.path }, f.path + (f.kind === "folder" ? "/" : ""))))
        : null
    );
    this.views.stability.setFiles(this.files);
  }

  /** The answer of GET /api/scenario or POST /api/load (docs/serve.md section 4). */
  setScenario(answer) {
    const scenario = answer.scenario;
    this.original = clone(scenario);
    this.scenario = clone(scenario);
    const src = answer.source || {};
    this.file = src.kind === "file" ? src.path : src.name || answer.name;
    this.sourceKey = (src.kind === "file" ? "file:" : "builtin:") + this.file;
    this.edited = false;
    const title = answer.title || scenario.title || scenario.name || "scenario";
    fill(document.getElementById("scenario-title"), title + " — " + (src.kind === "file" ? this.file : "built-in " + this.file));
    document.title = "parley workbench — " + (answer.name || scenario.name || title);
    renderScenario(document.getElementById("scenario-body"), this.scenario, this.file);
    const select = document.getElementById("file-select");
    if ([...select.options].some((o) => o.value === this.sourceKey)) select.value = this.sourceKey;
    for (const v of Object.values(this.views)) if (v.reset) v.reset(false);
  }

  /** What if changed the working copy. */
  scenarioEdited() {
    this.edited = true;
    renderScenario(document.getElementById("scenario-body"), this.scenario, this.file);
    for (const v of Object.values(this.views)) if (v.edited) v.edited();
  }

  revert() {
    this.scenario = clone(this.original);
    this.edited = false;
    renderScenario(document.getElementById("scenario-body"), this.scenario, this.file);
    for (const v of Object.values(this.views)) if (v.reset) v.reset(true);
  }

  /** A request body carrying the edited scenario when there is one. */
  withScenario(body) {
    return this.edited ? { ...body, scenario: this.scenario } : body;
  }

  async loadSelected() {
    const key = document.getElementById("file-select").value;
    if (!key) return;
    const name = key.replace(/^(builtin|file):/, "");
    const body = key.startsWith("builtin:") ? { builtin: name } : { path: name };
    this.clearError();
    try {
      const answer = await call("POST", "/api/load", body);
      this.clearError();
      this.setScenario(answer);
    } catch (e) {
      this.showError(e, "Could not load " + name);
      // the open scenario did not change: show it as the selection again
      document.getElementById("file-select").value = this.sourceKey;
    }
  }

  download() {
    const blob = new Blob([JSON.stringify(this.scenario, null, 2) + "\n"], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: (this.scenario.name || "scenario") + (this.edited ? "-edited" : "") + ".json" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  showError(e, context) {
    const text = (context ? context + ":\n" : "") + (e && e.message ? e.message : String(e));
    fill(this.errorBox, text);
    this.errorBox.hidden = false;
  }

  clearError() {
    this.errorBox.hidden = true;
    fill(this.errorBox);
  }
}

const app = new App();
window.parleyApp = app; // for the browser tests' diagnostics only
app.start();
