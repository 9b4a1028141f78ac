// bench/workbench_load.js URL RUNS - page load of the workbench (see
// bench/workbench.sh): navigation start to the 'parley-ready' mark of
// web/app.js (the talks scenario shown), and, as the baseline in the same
// run and browser, the load of one small static file of the same server
// (favicon.svg): what any page costs here before the workbench's own work.
"use strict";
const path = require("node:path");
const { chromium } = require(path.join(__dirname, "../tests/browser/node_modules/playwright-core"));

const [url, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 20);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  const page = await browser.newPage();
  const ready = [];
  const dcl = [];
  const base = [];
  const staticUrl = new URL("/favicon.svg", url).href;
  for (let k = 0; k <= runs; k++) {
    await page.goto(staticUrl);
    const b = await page.evaluate(() => performance.getEntriesByType("navigation")[0].loadEventEnd);
    await page.goto(url);
    await page.locator('body[data-ready="1"]').waitFor();
    const t = await page.evaluate(() => ({
      ready: performance.getEntriesByName("parley-ready")[0].startTime,
      dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
    }));
    if (k === 0) continue; // the first load fills the caches
    base.push(b);
    ready.push(t.ready);
    dcl.push(t.dcl);
  }
  await browser.close();
  const row = (name, xs) => console.log("| " + name + " | " + pct(xs, 0.5).toFixed(1) + " | " + pct(xs, 0.9).toFixed(1) + " | " + Math.max(...xs).toFixed(1) + " |");
  console.log("| page (" + runs + " loads, headless chromium) | median ms | p90 ms | max ms |");
  console.log("|---|--:|--:|--:|");
  row("baseline: favicon.svg from the same server", base);
  row("workbench: DOMContentLoaded (modules loaded)", dcl);
  row("workbench: scenario shown (parley-ready)", ready);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
