// Play: a person takes one party's seat against built-in agents under SAOP
// (POST /api/play, POST /api/play/ID/move, GET /api/play/ID). The page shows
// the offer on the table with its utility to the player, and lets them
// accept it, end the talks or compose a counter-offer. The server runs the
// protocol: the agents keep its rules and the player's moves are checked.
import { call, errorMessage, sleep } from "./api.js";
import { el, fill, fmt, table } from "./dom.js";
import { agentPickers } from "./agents.js";
import { packagePicker } from "./picker.js";
import { defaultPackage } from "./model.js";
import { actionRow, resultSummary } from "./trace.js";

export class PlayView {
  constructor(app) {
    this.app = app;
    this.seat = document.getElementById("play-seat");
    this.board = document.getElementById("play-board");
    this.status = document.getElementById("play-status");
    this.tableBox = document.getElementById("play-table");
    this.history = document.getElementById("play-history");
    this.offerUtility = document.getElementById("play-offer-utility");
    this.buttons = ["play-accept", "play-end", "play-offer"].map((id) => document.getElementById(id));
    this.game = null;
    this.seq = 0;
    this.seat.addEventListener("change", () => this.pickAgents());
    document.getElementById("play-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.start();
    });
    document.getElementById("play-accept").addEventListener("click", () => this.move({ action: "accept" }));
    document.getElementById("play-end").addEventListener("click", () => this.move({ action: "end" }));
    document.getElementById("play-offer").addEventListener("click", () => this.move({ action: "offer", package: this.picker.get() }));
  }

  reset() {
    const sc = this.app.scenario;
    const old = this.seat.value;
    fill(this.seat, sc.parties.map((p) => el("option", { value: p.name }, p.name)));
    if (sc.parties.some((p) => p.name === old)) this.seat.value = old;
    this.pickAgents();
    this.game = null;
    this.board.hidden = true;
  }

  async pickAgents() {
    this.agents = await agentPickers(document.getElementById("play-agents"), this.app.scenario.parties, "play", "boulware", this.seat.value);
  }

  async start() {
    const sc = this.app.scenario;
    try {
      const state = await call(
        "POST",
        "/api/play",
        this.app.withScenario({ party: this.seat.value, agents: this.agents(), rounds: Number(document.getElementById("play-rounds").value) })
      );
      this.app.clearError();
      this.game = { id: state.id, party: state.party, index: state.party_index };
      this.board.hidden = false;
      this.picker = packagePicker(document.getElementById("play-offer-form"), sc, state.table ? state.table.package : defaultPackage(sc), () => this.judgeOffer(), "play");
      this.show(state);
      this.judgeOffer();
    } catch (e) {
      this.app.showError(e, "The game could not start");
    }
  }

  async move(body) {
    if (!this.game) return;
    const game = this.game;
    this.enable(false);
    try {
      let state = await call("POST", "/api/play/" + game.id + "/move", body);
      this.app.clearError();
      this.show(state);
      while (state.state === "waiting" && this.game === game) {
        await sleep(200);
        state = await call("GET", "/api/play/" + game.id);
        this.show(state);
      }
    } catch (e) {
      // an illegal move leaves the game as it was: say why and go on
      this.app.showError(e, "Move refused");
      if (this.game === game) this.show(await call("GET", "/api/play/" + game.id));
    }
  }

  enable(on) {
    for (const b of this.buttons) b.disabled = !on;
  }

  show(s) {
    const sc = this.app.scenario;
    this.state = s;
    const mine = s.state === "your-turn";
    this.enable(mine);
    document.getElementById("play-accept").disabled = !mine || !s.table;
    this.board.dataset.state = s.state;
    if (s.state === "ended") {
      const n = s.result && s.result.negotiation;
      const end = (s.result && s.result.end) || (n && n.reason && n.reason.kind) || (s.error ? "error" : "ended");
      this.board.dataset.end = end;
      fill(this.status, "Game over — " + (n ? resultSummary(sc, n) : s.error ? "the game could not go on: " + errorMessage(s.error) : end));
    } else {
      fill(this.status, (mine ? "Your turn" : "The agents are moving…") + " — round " + s.round + " of " + s.rounds + ", you are " + s.party + " (reservation value " + fmt(s.reservation) + ").");
    }
    fill(
      this.tableBox,
      s.table
        ? [
            el(
              "p",
              { id: "play-offer-on-table" },
              "On the table, offered by ",
              el("strong", {}, s.table.by),
              ": worth ",
              el("strong", { id: "play-table-utility" }, fmt(s.table.utility)),
              " to you",
              s.table.utility + 1e-9 >= s.reservation ? " (at least your reservation value)" : " (below your reservation value " + fmt(s.reservation) + ")",
              s.table.can_sign === false ? "; you cannot sign it (a constraint, one of your red lines or one of your ratifiers)" : "",
              "."
            ),
            table(["issue", "offer"], sc.issues.map((i) => [i.name, String(s.table.package[i.name])])),
            mine ? el("button", { type: "button", onclick: () => { this.picker.set(s.table.package); this.judgeOffer(); } }, "Start the counter-offer from this offer") : null,
          ]
        : el("p", { class: "muted" }, "Nothing on the table yet: make the first offer.")
    );
    const events = s.events || [];
    const tbody = el("tbody", {}, events.map((e, k) => actionRow(sc, e, events[k - 1], "player")));
    fill(
      this.history,
      el("table", { id: "play-events" }, el("thead", {}, el("tr", {}, ["round", "party", "action", "package", "u to you"].map((h) => el("th", { scope: "col" }, h)))), tbody)
    );
  }

  // The counter-offer's worth to the player (only to the player: the
  // others' preferences are theirs), from the engine.
  async judgeOffer() {
    if (!this.game) return;
    const seq = ++this.seq;
    try {
      const ev = await call("POST", "/api/evaluate", this.app.withScenario({ package: this.picker.get() }));
      if (seq !== this.seq) return;
      const me = ev.parties[this.game.index];
      const broken = (me.red_lines || []).filter((r) => !r.holds).map((r) => r.name);
      fill(
        this.offerUtility,
        "Worth ",
        el("strong", { id: "play-my-utility" }, fmt(me.utility)),
        " to you",
        ev.feasible ? "" : "; it breaks a constraint, so it cannot be offered",
        broken.length ? "; it breaks your red line " + broken.join(", ") : "",
        "."
      );
    } catch (e) {
      if (seq === this.seq) fill(this.offerUtility, e.message);
    }
  }
}
