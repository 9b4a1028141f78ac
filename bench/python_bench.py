"""Driver of bench/python.sh: the cost of a Python agent per round against
the same rule in C (examples/agents/pacer.c, as a plug-in), and an analysis
through Python against the CLI. Prints table rows; argv: PLUGIN CLI
[GENIUS_DIR...]."""
import subprocess
import sys
import time

import parley

ROUNDS = 2000


class PyPacer(parley.Agent):
    """examples/agents/pacer.c line for line (defaults e = 1, hold = 0.2)."""

    def on_start(self, state):
        self.offered = -1.0

    def target(self, state):
        floor = max(state.reservation, self.offered)
        if floor > state.best:
            return state.best
        s = 0 if state.t <= 0.2 else (state.t - 0.2) / 0.8
        return state.best - (state.best - floor) * s

    def propose(self, state):
        want = self.target(state)
        return state.near(want, want, 1.0) or state.near(want, 0.0, 1.0)

    def respond(self, state, offer):
        ok = state.can_sign(offer) and state.utility(offer) >= self.target(state) - 1e-12
        return parley.ACCEPT if ok else parley.REJECT

    def on_action(self, state, party, action, offer):
        if action == "offer" and state.can_sign(offer):
            self.offered = max(self.offered, state.utility(offer))


def per_round(scenario, agent, repeat=3):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = scenario.negotiate(agents=[agent, "hardliner"], rounds=ROUNDS, seed=1)
        dt = time.perf_counter() - t0
        rounds = n.to_dict()["rounds"]
        best = dt / rounds if best is None else min(best, dt / rounds)
    return best, rounds


def main():
    plugin, cli = sys.argv[1], sys.argv[2]
    parley.load_agents(plugin)
    s = parley.Scenario.generate(parties=2, issues=3, values=10, seed=1)
    c, rounds = per_round(s, "pacer")
    py, _ = per_round(s, PyPacer)
    print(f"| agent pacer vs hardliner, {rounds} rounds, 10^3 outcomes | "
          f"{c * 1e6:.2f} us/round (C plug-in) | {py * 1e6:.2f} us/round (Python) "
          f"| {py / c:.1f}x |")
    for folder in sys.argv[3:]:
        # the same work both ways: load, analyse, the JSON document (best
        # of 5, so that the machine's load shows less)
        tl = tp = td = tc = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            sc = parley.Scenario.load(folder)
            t1 = time.perf_counter()
            a = sc.analyze(threads=1)
            t2 = time.perf_counter()
            a.to_dict()
            t3 = time.perf_counter()
            tl, tp, td = min(tl, t1 - t0), min(tp, t2 - t1), min(td, t3 - t2)
            t0 = time.perf_counter()
            subprocess.run([cli, "analyze", folder, "--json", "--threads", "1"],
                           check=True, stdout=subprocess.DEVNULL)
            tc = min(tc, time.perf_counter() - t0)
        total = tl + tp + td
        print(f"| analyze {folder.rstrip('/').split('/')[-1]}, 1 thread, best of 5 | "
              f"{tc:.3f} s (CLI process: load, analyse, write JSON) | "
              f"{total:.3f} s (Python: load {tl:.3f} + analyze {tp:.3f} + "
              f"to_dict {td:.3f}) | {total / tc:.2f}x |")


main()
