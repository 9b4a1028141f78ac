// A package with the actors' utilities, as the analysis JSON gives it
// ({outcome, utilities, ratifiers: {name: {utility, approves}}}).
import { el, fmt, table } from "./dom.js";

export function describeOutcome(sc, point) {
  const rows = sc.issues.map((i) => [i.name, String(point.outcome[i.name])]);
  sc.parties.forEach((p, k) => rows.push([el("em", {}, p.name), { text: fmt(point.utilities[k]), class: "num" }]));
  for (const [name, r] of Object.entries(point.ratifiers || {})) {
    rows.push([el("em", {}, name + " (ratifier)"), { text: fmt(r.utility) + (r.approves ? " approves" : " rejects"), class: "num" }]);
  }
  return table(["issue / actor", "package"], rows);
}

/** One line: "donbas: …; ua_withdrawal_km: 0; …". */
export function outcomeLine(sc, outcome) {
  return sc.issues.map((i) => i.name + ": " + outcome[i.name]).join("; ");
}
