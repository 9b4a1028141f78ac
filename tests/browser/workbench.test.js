// End-to-end test of the workbench (web/, served by `parley serve`) in
// Debian's headless chromium driven by playwright-core (tests/browser/run.sh
// sets it up; docs/serve.md "The workbench page" says what is checked).
//
//   node workbench.test.js PARLEY SOURCE_DIR WORK_DIR
//
// It makes a folder WORK_DIR/dir with the talks scenario, a scenario with an
// error and a GMCR conflict, starts `parley serve WORK_DIR/dir --port 0`,
// reads the URL from the server's first line of standard output, and drives
// the page the way a user would. Every number it expects comes from the CLI
// run on the same files in the same test (and is the one documented in
// docs/default-scenario.md): the assertions are on what the page shows.
// Screenshots go to WORK_DIR/*.png; the page load time to WORK_DIR/load.txt.
"use strict";
const { chromium } = require("playwright-core");
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const assert = require("node:assert/strict");

const [PARLEY, SOURCE, WORK] = process.argv.slice(2);
if (!PARLEY || !SOURCE || !WORK) {
  console.error("usage: node workbench.test.js PARLEY SOURCE_DIR WORK_DIR");
  process.exit(2);
}
const DIR = path.join(WORK, "dir");
const TIMEOUT = 30000; // per wait: the server may be an ASan build on a loaded machine

// ---- the CLI's answers, the expectations of the page ------------------------

function cli(args, opts = {}) {
  return execFileSync(PARLEY, args, { cwd: DIR, encoding: "utf8", maxBuffer: 64 << 20, ...opts });
}
function cliJson(args) {
  return JSON.parse(cli([...args, "--json"]));
}
const fmt = (x) => x.toFixed(3); // the page's (and the CLI text's) three decimals

function prepareDir() {
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  fs.copyFileSync(path.join(SOURCE, "scenarios/talks.json"), path.join(DIR, "talks.json"));
  fs.copyFileSync(path.join(SOURCE, "examples/conflicts/prisoners.gmcr"), path.join(DIR, "prisoners.gmcr"));
  // A scenario with one error: a reservation value outside [0, 1] (line 8).
  fs.writeFileSync(
    path.join(DIR, "bad.json"),
    [
      "{",
      '  "parley": 1,',
      '  "name": "bad",',
      '  "issues": [',
      '    {"name": "a", "type": "categorical", "options": ["x", "y"]}',
      "  ],",
      '  "parties": [',
      '    {"name": "P", "reservation": 1.5, "weights": {"a": 1}, "values": {"a": {"x": 0, "y": 1}}},',
      '    {"name": "Q", "weights": {"a": 1}, "values": {"a": {"x": 1, "y": 0}}}',
      "  ]",
      "}",
      "",
    ].join("\n")
  );
}

// ---- the server --------------------------------------------------------------

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(PARLEY, ["serve", DIR, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error("parley serve printed no URL within 30 s; stderr: " + err)), TIMEOUT);
    child.stdout.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0 && !child.url) {
        child.url = out.slice(0, nl).trim();
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on("data", (d) => {
      err += d;
      child.stderrText = err;
    });
    child.on("exit", (code) => {
      child.exitCode_ = code;
      if (!child.url) reject(new Error("parley serve exited (" + code + ") before printing its URL: " + err));
    });
  });
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.on("exit", (code, signal) => resolve(code === null ? signal : code));
    child.kill("SIGTERM");
  });
}

// ---- the steps ---------------------------------------------------------------

let page;
let shot = 0;
async function screenshot(name) {
  shot++;
  const file = path.join(WORK, String(shot).padStart(2, "0") + "-" + name + ".png");
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
const text = (sel) => page.locator(sel).innerText({ timeout: TIMEOUT });
async function waitText(sel, pattern) {
  const loc = page.locator(sel);
  await loc.filter({ hasText: pattern }).first().waitFor({ timeout: TIMEOUT });
  return loc.innerText();
}
async function tab(name) {
  await page.getByRole("tab", { name }).click();
}

// The row of a table whose first cell is `name`, as its cells' texts.
async function row(tableSel, name) {
  const rows = page.locator(tableSel + " tr");
  const n = await rows.count();
  for (let k = 0; k < n; k++) {
    const cells = await rows.nth(k).locator("td, th").allInnerTexts();
    if (cells[0] && cells[0].trim() === name) return cells.map((c) => c.trim());
  }
  throw new Error("no row '" + name + "' in " + tableSel);
}

const steps = [];
const step = (name, fn) => steps.push({ name, fn });

let analysis; // parley analyze --json of talks.json
let server;
let loadTimes = [];
let whatIfTiming = "";

step("open the talks scenario", async () => {
  // Page load: navigation start to the page showing the scenario (the
  // 'parley-ready' mark of web/app.js); the first load warms the caches.
  for (let k = 0; k < 6; k++) {
    await page.goto(server.url);
    await page.locator('body[data-ready="1"]').waitFor({ timeout: TIMEOUT });
    const ms = await page.evaluate(() => performance.getEntriesByName("parley-ready")[0].startTime);
    if (k > 0) loadTimes.push(ms);
  }
  const title = await text("#scenario-title");
  assert.match(title, /Trilateral peace talks/);
  const body = await text("#scenario-body");
  // docs/default-scenario.md section 2: 3 x 5 x 5 x 4 x 3 x 3 x 3 packages
  assert.match(body, new RegExp(analysis.outcomes.toLocaleString("en-US") + " packages"));
  for (const name of [...analysis.parties, ...analysis.ratifiers, "reciprocity", "no deal without guarantees", "US proposal"]) {
    assert.ok(body.includes(name), "the scenario view shows " + name);
  }
  // Russia's reservation value as the file has it
  assert.deepEqual((await row("#scenario-body table", "Russia")).slice(0, 2), ["Russia", "0.600"]);
  await screenshot("scenario");
});

step("build the US proposal in the package builder and see Russia reject it", async () => {
  await tab("Package builder");
  const us = analysis.proposals.find((p) => p.name === "US proposal");
  // start from another package: the first value of every issue
  for (const issue of Object.keys(us.outcome)) {
    await page.locator("#package-form").getByLabel(issue, { exact: true }).selectOption({ index: 0 });
  }
  await waitText("#package-result", /United States\s+0\.\d{3}/); // no longer the US proposal's 1.000
  assert.equal(await page.locator("#package-proposal option:checked").innerText(), "— choose a proposal —");
  // then pick the proposal's values one by one, as a user would
  for (const [issue, value] of Object.entries(us.outcome)) {
    await page.locator("#package-form").getByLabel(issue, { exact: true }).selectOption(String(value));
  }
  await waitText("#package-verdict", /Out of the agreement zone/);
  // the package is recognised as the proposal it is
  assert.equal(await page.locator("#package-proposal option:checked").innerText(), "US proposal");
  const verdict = await text("#package-verdict");
  assert.match(verdict, /Russia rejects/);
  assert.doesNotMatch(verdict, /Ukraine rejects|United States rejects/);
  // utilities against the CLI's judgement of the proposal (docs/default-scenario.md section 6: 1.000, 0.640, 0.410)
  for (const p of analysis.parties) {
    const cells = await row("#package-result table", p);
    assert.equal(cells[1], fmt(us.parties[p].utility), p + "'s utility");
    assert.equal(cells[5], us.parties[p].accepts ? "accepts" : "REJECTS", p + "'s verdict");
  }
  assert.equal((await row("#package-result table", "Russia"))[2], "0.600");
  for (const q of analysis.ratifiers) {
    const cells = await row("#package-result table", q);
    assert.equal(cells[1], fmt(us.ratifiers[q].utility), q + "'s utility");
    assert.equal(cells[4], us.ratifiers[q].approves ? "approves" : "REJECTS", q + "'s vote");
  }
  assert.equal((await row("#package-result table", "Ukraine"))[4], "kept"); // guarantees are not "none"
  assert.equal((await row("#package-result table", "reciprocity"))[2], "holds");
  assert.match(await text("#package-nearest"), /distance \d\.\d{3}/);
  await screenshot("package-us-proposal");
  // and a package that breaks Ukraine's red line: no guarantees
  await page.locator("#package-form").getByLabel("guarantees", { exact: true }).selectOption("none");
  await waitText("#package-result", /broken: no deal without guarantees/);
  assert.equal((await row("#package-result table", "Ukraine"))[5], "REJECTS");
  await page.locator("#package-form").getByLabel("guarantees", { exact: true }).selectOption("coalition with US backstop");
  await waitText("#package-verdict", /Russia rejects/);
});

let edited; // talks.json with Russia's reservation value lowered by delta*
let editedFile;

step("lower Russia's reservation value by delta* and see the zone open", async () => {
  await tab("What if");
  await waitText("#whatif-verdict", /No package can be accepted/);
  assert.equal(await text("#whatif-zone"), "0");
  const delta = analysis.concession.delta; // 0.070 (docs/default-scenario.md section 8)
  assert.equal(await text("#whatif-delta"), fmt(delta));
  const russia = analysis.parties.indexOf("Russia");
  const lowered = Number((analysis.reservation[russia] - delta).toFixed(6)); // 0.53
  // the CLI's analysis of the same edit, written as a file
  edited = JSON.parse(fs.readFileSync(path.join(DIR, "talks.json"), "utf8"));
  edited.parties[russia].reservation = lowered;
  editedFile = path.join(WORK, "talks-russia-lowered.json");
  fs.writeFileSync(editedFile, JSON.stringify(edited, null, 2));
  const after = cliJson(["analyze", editedFile]);
  assert.ok(after.agreements > 0, "the CLI finds the zone open at Russia " + lowered);

  await page.getByLabel("reservation value of Russia", { exact: true }).fill(String(lowered));
  await waitText("#whatif-verdict", /The zone is open/);
  assert.equal(await text("#whatif-zone"), after.agreements.toLocaleString("en-US"));
  const timing = /analysed in ([\d.]+) ms by the engine, (\d+) ms end to end/.exec(await text("#whatif-result"));
  assert.ok(timing, "the page says how long the analysis took");
  whatIfTiming = "what-if re-analysis of the talks: " + timing[1] + " ms in the engine, " + timing[2] + " ms end to end (edit to table)";
  for (const p of after.parties) {
    const cells = await row("#whatif-result table", "acceptable to " + p);
    assert.equal(cells[1], after.acceptable[p].toLocaleString("en-US"), "packages acceptable to " + p);
  }
  // the bargaining solutions now exist: Nash's package as the CLI finds it
  const nash = after.solutions.nash;
  assert.ok(nash, "the CLI has a Nash solution");
  const solText = await text("#whatif-result");
  assert.ok(solText.includes("Nash"), "solutions are shown");
  await screenshot("whatif-zone-open");
  // A weight that breaks the sum: the engine's message, then back.
  await page.click("#view-whatif summary >> text=Weights");
  const weight = page.getByLabel("weight of donbas for United States", { exact: true });
  await weight.fill("0.3");
  const message = await waitText("#whatif-error", /weights sum to 1\.05/);
  assert.match(message, /United States/);
  await weight.fill(String(edited.parties[0].weights.donbas));
  await waitText("#whatif-verdict", /The zone is open/);
  assert.equal(await text("#whatif-zone"), after.agreements.toLocaleString("en-US"));

  // The package builder judges the edited scenario too: delta*'s package is now in the zone.
  await tab("Package builder");
  for (const [issue, value] of Object.entries(analysis.concession.point.outcome)) {
    await page.locator("#package-form").getByLabel(issue, { exact: true }).selectOption(String(value));
  }
  await waitText("#package-verdict", /In the agreement zone/);
  assert.deepEqual((await row("#package-result table", "Russia")).slice(1, 3), [fmt(analysis.concession.point.utilities[russia]), fmt(lowered)]);
});

step("download the edited scenario as JSON", async () => {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: TIMEOUT }), page.click("#download")]);
  const file = path.join(WORK, "downloaded.json");
  await download.saveAs(file);
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  assert.equal(doc.parties.find((p) => p.name === "Russia").reservation, edited.parties.find((p) => p.name === "Russia").reservation);
  // and the CLI reads it back: same zone as the edit
  assert.equal(cliJson(["analyze", file]).agreements, cliJson(["analyze", editedFile]).agreements);
});

step("run a negotiation to its end and watch the offers appear", async () => {
  await tab("Simulate");
  const rounds = 60;
  await page.fill("#sim-rounds", String(rounds));
  await page.fill("#sim-seed", "3");
  await page.locator("#sim-agents select").nth(0).selectOption("conceder");
  await page.locator("#sim-agents select").nth(1).selectOption("boulware");
  await page.locator("#sim-agents select").nth(2).selectOption("conceder");
  const expect = cliJson(["negotiate", editedFile, "--agents", "conceder,boulware,conceder", "--rounds", String(rounds), "--seed", "3", "--trace"]);
  await page.click("#sim-start");
  // the first offers appear before the end (polled round by round)
  await page.locator("#sim-rows tr").first().waitFor({ timeout: TIMEOUT });
  await page.locator("#sim-final").waitFor({ timeout: 120000 });
  const status = await text("#sim-status");
  if (expect.agreement) assert.match(status, new RegExp("^Agreement after " + expect.rounds + " round"));
  else assert.match(status, /^No agreement|^Agreed .* not ratified/);
  const rowsShown = await page.locator("#sim-rows tr").count();
  assert.equal(rowsShown, expect.trace.length, "one row per action of the CLI's trace");
  for (const [k, p] of expect.parties.entries()) {
    assert.equal((await row("#sim-final table", p))[2], fmt(expect.utilities[k]), p + "'s result");
  }
  // the last action is the CLI's last action
  const last = await page.locator("#sim-rows tr").last().locator("td").allInnerTexts();
  const cliLast = expect.trace[expect.trace.length - 1];
  assert.deepEqual([Number(last[0]), last[1], last[2]], [cliLast.round, cliLast.party, cliLast.action]);
  await screenshot("simulate");
});

step("play a full game against agents to an agreement", async () => {
  await tab("Play");
  const russia = analysis.parties.indexOf("Russia");
  const ukraine = analysis.parties.indexOf("Ukraine");
  await page.selectOption("#play-seat", "Ukraine");
  // random agents accept any offer worth their reservation value (docs/agents.md)
  await page.locator("#play-agents select").nth(0).selectOption("random");
  await page.locator("#play-agents select").nth(1).selectOption("random");
  await page.fill("#play-rounds", "20");
  await page.click("#play-start");
  await page.locator('#play-board[data-state="your-turn"]').waitFor({ timeout: TIMEOUT });
  const board = page.locator("#play-board");
  // 1. counter with the US proposal: worth 0.410 to Russia, below even its lowered 0.530
  const us = analysis.proposals.find((p) => p.name === "US proposal").outcome;
  for (const [issue, value] of Object.entries(us)) {
    await page.locator("#play-offer-form").getByLabel(issue, { exact: true }).selectOption(String(value));
  }
  await waitText("#play-offer-utility", new RegExp("Worth " + fmt(analysis.proposals[0].utilities[ukraine]).replace(".", "\\.")));
  await page.click("#play-offer");
  await page.locator('#play-board[data-state="your-turn"], #play-board[data-state="ended"]').waitFor({ timeout: TIMEOUT });
  assert.equal(await board.getAttribute("data-state"), "your-turn", "Russia does not sign the US proposal");
  // 2. counter with delta*'s package: in the zone of the edited scenario
  const point = analysis.concession.point;
  for (const [issue, value] of Object.entries(point.outcome)) {
    await page.locator("#play-offer-form").getByLabel(issue, { exact: true }).selectOption(String(value));
  }
  await waitText("#play-offer-utility", new RegExp("Worth " + fmt(point.utilities[ukraine]).replace(".", "\\.")));
  await page.click("#play-offer");
  await page.locator('#play-board[data-state="ended"]').waitFor({ timeout: TIMEOUT });
  assert.equal(await board.getAttribute("data-end"), "agreement");
  const status = await text("#play-status");
  assert.match(status, /Game over — Agreement after/);
  // the payoffs are the package's utilities (the CLI's, docs/default-scenario.md section 8)
  for (const [k, p] of analysis.parties.entries()) assert.ok(status.includes(p + " " + fmt(point.utilities[k])), p + " gets " + fmt(point.utilities[k]));
  const actions = await page.locator("#play-events tr[data-action]").count();
  assert.ok(actions >= 4, "the history lists the moves (" + actions + ")");
  await screenshot("play-agreement");
  void russia;
});

step("every control of every tab has an accessible name", async () => {
  // the views are built by now (the game board included)
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, button, textarea")]
      .filter((c) => !(c.getAttribute("aria-label") || (c.labels && c.labels.length) || c.textContent.trim()))
      .map((c) => c.outerHTML.slice(0, 80))
  );
  assert.deepEqual(unnamed, [], "controls without a label");
  const tabs = await page.getByRole("tab").allInnerTexts();
  assert.deepEqual(tabs, ["Scenario", "Package builder", "What if", "Plots", "Simulate", "Play", "Stability"]);
});

step("see the report's plots", async () => {
  await tab("Plots");
  await page.locator("#plots-body figure svg").first().waitFor({ timeout: 60000 });
  const names = await page.locator("#plots-body figure").evaluateAll((fs) => fs.map((f) => f.dataset.plot));
  const svgDir = path.join(WORK, "svg");
  cli(["report", editedFile, "-o", path.join(WORK, "report.html"), "--svg", svgDir]);
  const cliNames = fs.readdirSync(svgDir).map((f) => f.replace(/\.svg$/, "")).sort();
  assert.deepEqual([...names].sort(), cliNames, "the same plots as parley report --svg");
  const title = await page.locator("#plots-body figure svg title").first().textContent();
  assert.ok(title.length > 0);
  await screenshot("plots");
});

step("analyse the stability of a GMCR conflict", async () => {
  await tab("Stability");
  await page.selectOption("#stab-file", "prisoners.gmcr");
  await page.click("#stab-run");
  await page.locator("#stab-equilibria").waitFor({ timeout: TIMEOUT });
  const expect = cliJson(["stability", "prisoners.gmcr"]);
  for (const c of expect.concepts) {
    const line = await text('#stab-equilibria li[data-concept="' + c + '"]');
    const states = expect.equilibria[c];
    assert.ok(line.endsWith(states.length ? "states " + states.join(", ") : "none"), c + ": " + line);
  }
  const stateRows = await page.locator("#stab-result table").last().locator("tbody tr").count();
  assert.equal(stateRows, expect.states.length);
  await screenshot("stability");
});

step("load a bad file and see the error with its location", async () => {
  let expect = "";
  try {
    cli(["validate", "bad.json"], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    expect = String(e.stderr).split("\n")[0]; // bad.json:8:34: error: "reservation" of party 'P' is 1.5; ...
  }
  const m = /^(bad\.json:\d+:\d+: error: )(.*)$/.exec(expect);
  assert.ok(m, "parley validate reports a location: " + expect);
  await page.selectOption("#file-select", "file:bad.json");
  await page.click("#file-load");
  const shown = await waitText("#error", /bad\.json:/);
  // the very line `parley validate` prints: file, line, column and message
  assert.ok(shown.split("\n").includes(expect), "the page shows '" + expect + "'; it shows:\n" + shown);
  // the open scenario has not changed
  assert.match(await text("#scenario-title"), /Trilateral peace talks/);
  await screenshot("bad-file");
});

step("analyse a large scenario as a background job, with progress and Cancel", async () => {
  // 5 parties, 8^7 = 2,097,152 packages: above the 10^6 of `mode: auto`, so a
  // job (docs/serve.md section 6); the 5-party count enumerates (seconds).
  cli(["generate", "--parties", "5", "--issues", "7", "--values", "8", "--seed", "1", "--output", "big.json"]);
  await page.waitForTimeout(100);
  // the folder is listed again when the page loads
  await page.goto(server.url);
  await page.locator('body[data-ready="1"]').waitFor({ timeout: TIMEOUT });
  await page.selectOption("#file-select", "file:big.json");
  await page.click("#file-load");
  await waitText("#scenario-body", /2,097,152 packages/);
  await tab("What if");
  await page.locator("#whatif-job").waitFor({ state: "visible", timeout: TIMEOUT });
  assert.ok(await page.locator("#whatif-progress").isVisible(), "a progress bar");
  await screenshot("whatif-job");
  await page.click("#whatif-cancel");
  await waitText("#whatif-result", /Analysis cancelled/);
  assert.ok(await page.locator("#whatif-job").isHidden(), "the progress bar goes away");
});

function runAll() {
  return (async () => {
    analysis = cliJson(["analyze", "talks.json"]);
    server = await startServer();
    console.log("# server: " + server.url.replace(/token=.*/, "token=..."));
    const browser = await chromium.launch({
      executablePath: process.env.PARLEY_CHROMIUM || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push("console error: " + m.text());
    });
    let failed = 0;
    for (const s of steps) {
      const t0 = Date.now();
      try {
        await s.fn();
        if (problems.length) throw new Error(problems.join("\n"));
        console.log("ok - " + s.name + " (" + (Date.now() - t0) + " ms)");
      } catch (e) {
        failed++;
        console.log("not ok - " + s.name + "\n  " + String(e.stack || e).replace(/\n/g, "\n  "));
        problems.length = 0;
        try {
          console.log("  screenshot: " + (await screenshot("FAILED")));
        } catch (e2) {
          /* the page may be gone */
        }
      }
    }
    await browser.close();
    const code = await stopServer(server);
    if (code !== 0) {
      failed++;
      console.log("not ok - parley serve ends with exit status 0 on SIGTERM (got " + code + ")\n  " + (server.stderrText || ""));
    } else {
      console.log("ok - parley serve exits 0 on SIGTERM");
    }
    loadTimes.sort((a, b) => a - b);
    const median = loadTimes[Math.floor(loadTimes.length / 2)];
    const line = "page load (navigation start to the scenario shown): median " + median.toFixed(1) + " ms, max " + loadTimes[loadTimes.length - 1].toFixed(1) + " ms over " + loadTimes.length + " loads";
    fs.writeFileSync(path.join(WORK, "load.txt"), line + "\n" + whatIfTiming + "\n");
    console.log("# " + line);
    console.log("# " + whatIfTiming);
    console.log("# screenshots in " + WORK);
    console.log(failed ? "browser: " + failed + " failed" : "browser: all " + steps.length + " steps passed");
    process.exit(failed ? 1 : 0);
  })();
}

prepareDir();
runAll().catch(async (e) => {
  console.log("not ok - " + (e.stack || e));
  if (server) await stopServer(server);
  process.exit(1);
});
