// The agents a user can pick (docs/agents.md). The server's GET /api/agents
// is used when it exists; otherwise the built-in list of `parley agents`.
import { call } from "./api.js";
import { el, fill } from "./dom.js";

const BUILT_IN = [
  "boulware",
  "linear",
  "conceder",
  "hardliner",
  "tit-for-tat",
  "random",
  "frequency",
  "micro",
  "genius-boulware",
  "genius-conceder",
  "genius-linear",
  "genius-hardliner",
];

let known = null; // the promise of the names, asked for once

export function agentNames() {
  if (!known) {
    known = call("GET", "/api/agents").then(
      (answer) => {
        const list = (answer.agents || []).map((a) => (typeof a === "string" ? a : a.name));
        return list.length ? list : BUILT_IN;
      },
      () => BUILT_IN
    );
  }
  return known;
}

/**
 * Fills `box` with one agent select (and a parameters field) per party,
 * skipping `skip` (the player's seat). Returns a function giving the
 * agents, one per party in party order ("conceder:e=1.5"; "human" for the
 * skipped seat): join them with "," for POST /api/negotiate.
 */
export async function agentPickers(box, parties, prefix, defaultAgent, skip) {
  const names = await agentNames();
  const rows = [];
  fill(box);
  parties.forEach((p, k) => {
    if (p.name === skip) {
      rows.push(null);
      return;
    }
    const id = prefix + "-agent-" + k;
    const select = el("select", { id }, names.map((n) => el("option", { value: n }, n)));
    select.value = defaultAgent;
    const params = el("input", { type: "text", id: id + "-params", size: "8", placeholder: "e=1.5", "aria-label": "parameters of " + p.name + "'s agent" });
    box.appendChild(el("span", {}, el("label", { for: id }, p.name + " agent"), " ", select, " ", params));
    rows.push({ select, params });
  });
  return () => rows.map((r) => (r ? r.select.value + (r.params.value.trim() ? ":" + r.params.value.trim() : "") : "human"));
}
