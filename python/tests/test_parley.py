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
