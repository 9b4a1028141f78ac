"""A negotiating agent in Python, played against built-in agents on the
talks scenario and in a small tournament. Run from this folder:
    PYTHONPATH=../../python /usr/bin/python3 my_agent.py
"""
import os
import tempfile

import parley


class Pacer(parley.Agent):
    """Asks for 1 - t of its best (never below its reservation value) and
    accepts any offer worth at least that."""

    def target(self, state):
        return max(state.reservation, state.best * (1 - state.t))

    def propose(self, state):
        return state.near(self.target(state))

    def respond(self, state, offer):
        if state.can_sign(offer) and state.utility(offer) >= self.target(state):
            return parley.ACCEPT
        return parley.REJECT


laptop = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "tests", "data", "genius", "Laptop")
talks = parley.Scenario.builtin("talks")
result = talks.negotiate(agents=[Pacer, "conceder", "micro"], seed=1).to_dict()
print("talks:", result["reason"]["kind"], "after", result["rounds"], "rounds")

parley.register_agent(Pacer)  # now "pacer" is a name, like a built-in
with tempfile.TemporaryDirectory() as tmp:
    config = os.path.join(tmp, "tour.json")
    with open(config, "w") as f:
        f.write('{"parley_tournament": 1, "name": "python", "scenarios": ["%s"],'
                ' "agents": ["pacer", "boulware", "conceder", "micro"],'
                ' "rounds": 100, "repetitions": 3, "seed": 1}' % laptop)
    t = parley.tournament(config, os.path.join(tmp, "results"))
    print(f"tournament: {len(t.rows)} negotiations")
    for a in t.summary["agents"]:
        print(f"  {a['rank']}. {a['agent']:<10} mean utility {a['utility']['mean']:.3f}")
