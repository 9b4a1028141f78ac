// Reading a parley-format scenario (docs/scenario-format.md) for display and
// editing. The page never computes utilities or verdicts itself: the server
// does (POST /api/evaluate, /api/analyze), so the numbers are the engine's.

/** The values of an issue, in index order (categorical names or numbers). */
export function issueValues(issue, limit = Infinity) {
  if (issue.type === "categorical") return issue.options.slice(0, limit);
  if (issue.type === "integer") {
    const step = issue.step || 1;
    const out = [];
    for (let x = issue.min; x <= issue.max && out.length < limit; x += step) out.push(x);
    return out;
  }
  if (issue.type === "real") {
    const n = issue.count;
    const out = [];
    for (let k = 0; k < n && out.length < limit; k++) {
      out.push(k === n - 1 ? issue.max : issue.min + ((issue.max - issue.min) * k) / (n - 1));
    }
    return out;
  }
  return [];
}

/** How many values an issue has. */
export function issueSize(issue) {
  if (issue.type === "categorical") return issue.options.length;
  if (issue.type === "integer") return Math.floor((issue.max - issue.min) / (issue.step || 1)) + 1;
  if (issue.type === "real") return issue.count;
  return 0;
}

/** A short description of the domain of an issue. */
export function issueDomain(issue) {
  if (issue.type === "categorical") return issue.options.join(" · ");
  if (issue.type === "integer") {
    return issue.min + " … " + issue.max + (issue.step && issue.step !== 1 ? " (step " + issue.step + ")" : "");
  }
  if (issue.type === "real") return issue.min + " … " + issue.max + " (" + issue.count + " values)";
  return "";
}

/** A rule as text: rules are strings or {name, rule}. */
export function ruleText(rule) {
  return typeof rule === "string" ? rule : rule.rule;
}
export function ruleName(rule, fallback) {
  return typeof rule === "string" ? fallback || rule : rule.name || rule.rule;
}

/** A value function as readable text (tables are shown as tables elsewhere). */
export function valueFunctionText(vf) {
  if (!vf || typeof vf !== "object") return "";
  if (vf.shape === "linear") return "linear, best " + vf.best;
  if (vf.shape === "peaked") return "peaked at " + vf.peak;
  if (vf.shape === "table") return "table " + vf.points.map((p) => p[0] + "→" + p[1]).join(", ");
  return "";
}

/** The total number of packages (a float beyond 2^53). */
export function packageCount(scenario) {
  return scenario.issues.reduce((n, issue) => n * issueSize(issue), 1);
}

/** A deep copy of a JSON value. */
export function clone(x) {
  return JSON.parse(JSON.stringify(x));
}

/** The first package: every issue at its first value, or the first proposal. */
export function defaultPackage(scenario) {
  if (scenario.proposals && scenario.proposals.length) return clone(scenario.proposals[0].outcome);
  const p = {};
  for (const issue of scenario.issues) p[issue.name] = issueValues(issue, 1)[0];
  return p;
}

/** The same value as an issue's value, for selects (numbers compared within 1e-9). */
export function valueKey(issue, value) {
  return issue.type === "categorical" ? String(value) : String(Number(value));
}
export function parseValue(issue, key) {
  return issue.type === "categorical" ? key : Number(key);
}

/**
 * The rows of an issue's value table, when every concerned actor's value
 * function is a table: categorical options, or the points of numeric
 * "table" functions (the form GET /api/scenario gives). Each row has a
 * label and, per actor, a cell {get(), set(x)}; null when some function is
 * a shape (linear, peaked) or the actors' points differ.
 */
export function valueRows(issue, actors, limit = 50) {
  const concerned = actors.filter((a) => a.values && a.values[issue.name]);
  if (!concerned.length) return null;
  if (issue.type === "categorical") {
    if (issue.options.length > limit) return null;
    return {
      actors: concerned,
      rows: issue.options.map((v) => ({
        label: v,
        cells: concerned.map((a) => ({ get: () => a.values[issue.name][v], set: (x) => (a.values[issue.name][v] = x) })),
      })),
    };
  }
  const tables = concerned.map((a) => a.values[issue.name]);
  if (!tables.every((t) => t.shape === "table" && Array.isArray(t.points))) return null;
  const xs = tables[0].points.map((p) => p[0]);
  if (xs.length > limit || !tables.every((t) => t.points.length === xs.length && t.points.every((p, k) => p[0] === xs[k]))) return null;
  return {
    actors: concerned,
    rows: xs.map((x, k) => ({
      label: String(x),
      cells: tables.map((t) => ({ get: () => t.points[k][1], set: (v) => (t.points[k][1] = v) })),
    })),
  };
}
