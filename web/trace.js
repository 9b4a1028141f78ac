// Rows of a negotiation trace and the one-line result, shared by Simulate
// and Play. Events are those of docs/serve.md section 8: {round, party,
// action, package, t, utilities | utility}.
import { el, fmt } from "./dom.js";

/** One table row for an action; `utilities` per party, or one `utility` (Play). */
export function actionRow(sc, e, prev, columns) {
  const pkg = e.package ? sc.issues.map((i) => String(e.package[i.name])).join(" · ") : "";
  const changed = e.package && prev && prev.package ? sc.issues.filter((i) => String(prev.package[i.name]) !== String(e.package[i.name])).length : null;
  const us = columns === "player" ? [e.utility] : e.utilities || sc.parties.map(() => null);
  return el(
    "tr",
    { "data-action": e.action },
    el("td", { class: "num" }, String(e.round)),
    el("td", {}, e.party || ""),
    el("td", {}, e.action),
    el("td", { title: e.package ? sc.issues.map((i) => i.name + ": " + e.package[i.name]).join("\n") : "" }, pkg, changed !== null && changed > 0 ? el("span", { class: "muted" }, " (" + changed + " changed)") : null),
    us.map((u) => el("td", { class: "num" }, u === null || u === undefined ? "" : fmt(u)))
  );
}

const REASONS = {
  agreement: "agreement",
  deadline: "deadline reached without agreement",
  "walk-out": "a party walked out",
  walkout: "a party walked out",
  "not-ratified": "the agreement was not ratified",
  "protocol-violation": "protocol violation",
};

/** "Agreement after 12 rounds: United States 0.61, ..." or why there is none. */
export function resultSummary(sc, n) {
  const kind = n.reason ? n.reason.kind : n.agreement ? "agreement" : "deadline";
  const actors = [...sc.parties, ...(sc.ratifiers || [])].map((a) => a.name);
  const who = n.reason ? n.reason.by : null;
  const by = who === null || who === undefined ? "" : " (" + (typeof who === "number" ? actors[who] || "actor " + who : who) + ")";
  const us = sc.parties.map((p, k) => p.name + " " + fmt(n.utilities[k])).join(", ");
  const rounds = " after " + n.rounds + " round" + (n.rounds === 1 ? "" : "s");
  if (kind === "not-ratified") return "Agreed" + rounds + " but not ratified" + by + ": no deal; each party gets its reservation value (" + us + ").";
  if (n.agreement) return "Agreement after " + n.rounds + " round" + (n.rounds === 1 ? "" : "s") + ": " + us + ".";
  return "No agreement: " + (REASONS[kind] || kind) + by + rounds + "; each party gets its reservation value (" + us + ").";
}
