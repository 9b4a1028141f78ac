"""The Python package against the CLI: the same documents, the same
frontier, errors carrying every file:line:column (run by ctest as
`python`, see python/README.md)."""
import json
import os
import subprocess

import numpy as np
import pytest

import parley

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
CLI = os.environ.get("PARLEY_CLI", os.path.join(ROOT, "build", "parley"))


def cli_json(*args):
    out = subprocess.run([CLI, *args, "--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def without_run(doc):
    doc = dict(doc)
    doc.pop("run", None)  # wall times differ between two runs
    return doc


@pytest.mark.parametrize("source", ["talks", os.path.join(DATA, "cli_small.json")])
def test_analysis_document_equals_the_cli(source):
    s = (parley.Scenario.builtin(source) if source == "talks"
         else parley.Scenario.load(source))
    a = s.analyze(threads=1)
    want = cli_json("analyze", source, "--threads", "1")
    assert without_run(a.to_dict()) == without_run(want)


def test_frontier_array_is_the_json_pareto():
    s = parley.Scenario.load(os.path.join(DATA, "cli_small.json"))
    a = s.analyze()
    doc = a.to_dict()
    want = np.array([p["utilities"] for p in doc["pareto"]])
    assert a.frontier.shape == want.shape
    assert np.allclose(a.frontier, want, rtol=0, atol=1e-13)
    issues = list(s.issues)
    for pk, p in zip(a.frontier_packages, doc["pareto"]):
        for i, v in enumerate(pk):
            assert s.issues[issues[i]][v] == str(p["outcome"][issues[i]])
    assert a.zone_size == doc["agreements"]


def test_generated_scenarios_and_above_the_cap():
    for seed in (1, 2, 3):
        s = parley.Scenario.generate(parties=3, issues=4, values=4, seed=seed)
        d = s.analyze(max_outcomes=50).to_dict()
        assert d["method"] == "branch-and-bound"
        assert d["outcomes"] == 256


def test_negotiation_document_equals_the_cli():
    s = parley.Scenario.builtin("talks")
    n = s.negotiate(agents=["boulware", "conceder:e=2", "micro"], seed=7,
                    trace=True)
    want = cli_json("negotiate", "--agents", "boulware,conceder:e=2,micro",
                    "--seed", "7", "--trace")
    assert n.to_dict() == want


def test_utility_is_the_party_utility():
    s = parley.Scenario.load(os.path.join(DATA, "cli_small.json"))
    a = s.analyze()
    for u, pk in zip(a.frontier, a.frontier_packages):
        assert [s.utility(p, pk) for p in range(len(s.parties))] == list(u)


def test_load_errors_carry_every_position():
    with pytest.raises(parley.Error) as e:
        parley.Scenario.load(os.path.join(DATA, "many_problems.json"))
    assert len(e.value.problems) >= 2
    for file, line, col, msg in e.value.problems:
        assert file.endswith("many_problems.json") and line > 0 and col > 0
    assert "many_problems.json:7:3: unknown key 'partys'" in str(e.value)


def test_bad_agents_raise():
    s = parley.Scenario.builtin("talks")
    with pytest.raises(parley.Error, match="unknown agent 'nobody'"):
        s.negotiate(agents="nobody")


class Pacer(parley.Agent):
    """Concedes linearly from 1 to its reservation value; accepts what
    reaches its current target; draws a random tie-break to exercise the
    seeded stream."""

    def target(self, state):
        return max(state.reservation, 1 - state.t)

    def propose(self, state):
        pk = state.near(self.target(state))
        return pk if state.random() < 2 else None  # random() is in [0, 1)

    def respond(self, state, offer):
        return parley.ACCEPT if state.utility(offer) >= self.target(state) \
            else parley.REJECT


def test_python_agent_plays_and_is_deterministic():
    s = parley.Scenario.builtin("talks")
    runs = [s.negotiate(agents=[Pacer, "conceder", "micro"], seed=3,
                        trace=True, threads=t).to_dict() for t in (1, 2, 1)]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0]["agents"][0] == "pacer"
    assert runs[0]["reason"]["kind"] != "protocol-violation"
    assert runs[0]["trace"][0]["party"] == "United States"


def test_python_agent_that_raises_is_a_violation_naming_the_party():
    class Raiser(parley.Agent):
        def propose(self, state):
            raise RuntimeError("no idea what to offer")

    s = parley.Scenario.builtin("talks")
    n = s.negotiate(agents=["boulware", Raiser, "boulware"])
    d = n.to_dict()
    assert d["reason"] == {"kind": "protocol-violation", "by": "Ukraine"}
    assert n.agent_errors == [("raiser", 1, "RuntimeError: no idea what to offer")]


def test_python_agent_with_an_invalid_package_is_a_violation():
    class Liar(parley.Agent):
        def propose(self, state):
            return [10**6] * state.issues

    d = parley.Scenario.builtin("talks").negotiate(agents=[Liar, "boulware",
                                                          "boulware"]).to_dict()
    assert d["reason"] == {"kind": "protocol-violation", "by": "United States"}
    assert "offered value 1000000 of issue 'donbas'" in d["violation"]


def test_tournament_with_a_python_agent(tmp_path):
    parley.register_agent(Pacer)
    cfg = tmp_path / "tour.json"
    cfg.write_text(json.dumps({
        "parley_tournament": 1, "name": "py",
        "scenarios": [os.path.join(DATA, "genius", "Laptop")],
        "agents": ["pacer", "boulware", "conceder"],
        "rounds": 40, "repetitions": 2, "seed": 5}))
    seen = []
    one = parley.tournament(str(cfg), str(tmp_path / "one"), threads=1,
                            progress=lambda done, total: seen.append((done, total)))
    two = parley.tournament(str(cfg), str(tmp_path / "two"), threads=2)
    # 3 agents, both role orders, no self-play: 6 assignments x 2 = 12 rows,
    # the same whatever the thread count.
    def timeless(rows):
        return [{k: v for k, v in r.items() if k != "wall_time"} for r in rows]
    assert len(one.rows) == 12 and timeless(one.rows) == timeless(two.rows)
    assert seen[-1] == (12, 12)
    assert sum("pacer" in r["agents"] for r in one.rows) == 8
    names = [a["agent"] for a in one.summary["agents"]]
    assert sorted(names) == ["boulware", "conceder", "pacer"]
    assert one.run["played"] == 12 and not one.run["interrupted"]
    # The CLI's summary of the same folder is the library's.
    want = subprocess.run([CLI, "tournament", "--summary", str(tmp_path / "one"),
                           "--json"], check=True, capture_output=True,
                          text=True).stdout
    assert json.loads(want) == one.summary


def test_stability_document_equals_the_cli():
    c = parley.Conflict.load()
    assert len(c.dms) >= 2 and c.options
    got = c.stability(threads=1).to_dict()
    want = cli_json("stability", "--threads", "1")
    assert without_run(got) == without_run(want)
