// The Scenario view: the scenario in readable form (issues, constraints,
// parties with their red lines, ratifiers, proposals, weights).
import { el, fill, fmt, count, table } from "./dom.js";
import { issueDomain, ruleText, ruleName, packageCount, issueValues, valueFunctionText, valueRows } from "./model.js";

export function renderScenario(root, scenario, fileName) {
  const actors = [...scenario.parties, ...(scenario.ratifiers || [])];
  fill(
    root,
    el("p", {}, scenario.description || ""),
    el(
      "p",
      { class: "muted" },
      "File: ",
      el("code", {}, fileName || "(built-in)"),
      " · ",
      count(packageCount(scenario)),
      " packages (one value for every issue)"
    ),
    el("h3", { id: "sc-issues" }, "Issues (" + scenario.issues.length + ")"),
    table(
      ["issue", "type", "values", "description"],
      scenario.issues.map((i) => [el("strong", {}, i.name), i.type, issueDomain(i), i.description || ""])
    ),
    el("h3", {}, "Constraints (" + (scenario.constraints || []).length + ")"),
    (scenario.constraints || []).length
      ? table(
          ["name", "rule"],
          scenario.constraints.map((c, k) => [ruleName(c, "constraint " + (k + 1)), el("code", {}, ruleText(c))])
        )
      : el("p", { class: "muted" }, "none"),
    el("h3", {}, "Parties (" + scenario.parties.length + ")"),
    table(
      ["party", "reservation value", "red lines", "description"],
      scenario.parties.map((p) => [
        el("strong", {}, p.name),
        { text: fmt(p.reservation || 0), class: "num" },
        (p.red_lines || []).length
          ? el(
              "ul",
              {},
              p.red_lines.map((r, k) => el("li", {}, ruleName(r, "red line " + (k + 1)) + ": ", el("code", {}, ruleText(r))))
            )
          : "none",
        p.description || "",
      ])
    ),
    el("h3", {}, "Ratifiers (" + (scenario.ratifiers || []).length + ")"),
    (scenario.ratifiers || []).length
      ? table(
          ["ratifier", "of party", "threshold", "description"],
          scenario.ratifiers.map((r) => [el("strong", {}, r.name), r.party || "—", { text: fmt(r.threshold), class: "num" }, r.description || ""])
        )
      : el("p", { class: "muted" }, "none"),
    el("h3", {}, "Proposals (" + (scenario.proposals || []).length + ")"),
    (scenario.proposals || []).length
      ? table(
          ["issue", ...scenario.proposals.map((p) => p.name + (p.by ? " (by " + p.by + ")" : ""))],
          scenario.issues.map((i) => [el("strong", {}, i.name), ...scenario.proposals.map((p) => String(p.outcome[i.name]))])
        )
      : el("p", { class: "muted" }, "none"),
    el("h3", {}, "Weights"),
    table(
      ["issue", ...actors.map((a) => a.name)],
      scenario.issues.map((i) => [
        el("strong", {}, i.name),
        ...actors.map((a) => ({ text: a.weights && a.weights[i.name] ? String(a.weights[i.name]) : "", class: "num" })),
      ])
    ),
    el("h3", {}, "Value tables"),
    scenario.issues.map((i) => valueTable(i, actors))
  );
}

function valueTable(issue, actors) {
  const t = valueRows(issue, actors);
  if (t) {
    return table(
      [issue.name + (issue.type === "categorical" ? "" : " (points)"), ...t.actors.map((a) => a.name)],
      t.rows.map((r) => [r.label, ...r.cells.map((c) => ({ text: String(c.get()), class: "num" }))])
    );
  }
  const concerned = actors.filter((a) => a.values && a.values[issue.name]);
  if (!concerned.length) return null;
  return el(
    "p",
    {},
    el("strong", {}, issue.name),
    ": ",
    concerned.map((a, k) => [k ? "; " : "", a.name + " " + (valueFunctionText(a.values[issue.name]) || "values for " + issueValues(issue, 1).length + "+ options")])
  );
}
