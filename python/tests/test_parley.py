"""The Python package against the CLI: the same documents, the same
frontier, errors carrying every file:line:column (run by ctest as
`python`, see python/README.md)."""
import json
import os
import shutil
import signal
import subprocess
import sys

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


# ---- Violations carry the exception; tournaments go on (issue 16) ----

def test_violation_message_names_the_party_and_the_exception():
    class Raiser(parley.Agent):
        def propose(self, state):
            raise RuntimeError("no idea what to offer")

    d = parley.Scenario.builtin("talks").negotiate(
        agents=["boulware", Raiser, "boulware"]).to_dict()
    assert d["violation"] == ("Ukraine's agent failed: Python agent 'raiser' "
                              "raised RuntimeError: no idea what to offer")


def test_an_agent_failing_in_on_start_is_a_violation_with_its_text():
    class BadStart(parley.Agent):
        def on_start(self, state):
            raise KeyError("missing table")

        def propose(self, state):
            return state.ranked(0)

    d = parley.Scenario.builtin("talks").negotiate(
        agents=[BadStart, "boulware", "boulware"]).to_dict()
    assert d["reason"] == {"kind": "protocol-violation", "by": "United States"}
    assert d["violation"] == ("United States's agent failed: Python agent "
                              "'badstart' raised KeyError: 'missing table'")


class Flaky(parley.Agent):
    """Fails whenever it plays the first party; plays like pacer otherwise."""

    def propose(self, state):
        if state.index == 0:
            raise ValueError("first seat")
        return state.near(max(state.reservation, 1.0 - state.t))

    def respond(self, state, offer):
        return parley.ACCEPT if state.utility(offer) >= 1.0 - state.t else \
            parley.REJECT


def test_tournament_row_records_a_violation_and_the_tournament_goes_on(tmp_path):
    parley.register_agent(Flaky)
    cfg = tmp_path / "tour.json"
    cfg.write_text(json.dumps({
        "parley_tournament": 1, "name": "flaky",
        "scenarios": [os.path.join(DATA, "genius", "Laptop")],
        "agents": ["flaky", "boulware", "conceder"],
        "rounds": 30, "repetitions": 2, "seed": 3}))
    t = parley.tournament(str(cfg), str(tmp_path / "out"), threads=1)
    # 3 agents x both role orders (6 pairings) x 2 repetitions: every row
    # is there, the failures did not stop the run
    assert len(t.rows) == 12 and t.run["played"] == 12
    first = [r for r in t.rows if r["agents"][0] == "flaky"]
    assert len(first) == 4
    party = first[0]["parties"][0]
    for r in first:
        assert r["end"] == "protocol-violation" and r["by"] == party
        assert r["violation"] == (f"{party}'s agent failed: Python agent "
                                  "'flaky' raised ValueError: first seat")
    for r in t.rows:
        if r["agents"][0] != "flaky":
            assert r["end"] != "protocol-violation" and "violation" not in r


# ---- Resume after a kill, as with C agents (docs/tournament.md) ----

KILL_SCRIPT = r"""
import os, signal, sys
import parley

class Steady(parley.Agent):
    def propose(self, state):
        return state.near(max(state.reservation, 1.0 - 0.5 * state.t))

    def respond(self, state, offer):
        good = state.utility(offer) >= 1.0 - 0.5 * state.t
        return parley.ACCEPT if good else parley.REJECT

parley.register_agent(Steady)
if sys.argv[1] == "kill":
    def progress(done, total):
        if done >= int(sys.argv[4]):
            os.kill(os.getpid(), signal.SIGKILL)  # no clean-up at all
    parley.tournament(sys.argv[2], sys.argv[3], threads=1, progress=progress)
else:  # "resume"
    parley.tournament(sys.argv[2], sys.argv[3], threads=1,
                      resume=sys.argv[1] == "resume")
"""


def test_tournament_with_a_python_agent_resumes_after_a_kill(tmp_path):
    cfg = tmp_path / "tour.json"
    cfg.write_text(json.dumps({
        "parley_tournament": 1, "name": "kill",
        "scenarios": [os.path.join(DATA, "genius", "Laptop"),
                      os.path.join(DATA, "genius", "ItexvsCypress")],
        "agents": ["steady", "boulware", "conceder"],
        "rounds": 40, "repetitions": 2, "seed": 11}))
    script = tmp_path / "run.py"
    script.write_text(KILL_SCRIPT)
    killed, whole = tmp_path / "killed", tmp_path / "whole"

    def run(*args):
        return subprocess.run([sys.executable, str(script), *args],
                              capture_output=True, text=True, timeout=240)

    r = run("kill", str(cfg), str(killed), "7")
    assert r.returncode == -signal.SIGKILL, r.stderr
    with open(killed / "results.jsonl") as f:
        done = sum(1 for line in f if line.endswith("\n"))
    assert 7 <= done < 24  # 2 scenarios x 6 pairings x 2 repetitions
    r = run("resume", str(cfg), str(killed))
    assert r.returncode == 0, r.stderr
    r = run("fresh", str(cfg), str(whole))
    assert r.returncode == 0, r.stderr

    def rows(folder):
        with open(folder / "results.jsonl") as f:
            got = [json.loads(line) for line in f]
        for row in got:
            row.pop("wall_time")
        return sorted(got, key=lambda row: row["index"])

    # the resumed folder holds every negotiation once, each as an
    # uninterrupted run plays it
    assert rows(killed) == rows(whole)
    assert len(rows(whole)) == 24


# ---- An installed copy finds the library (python/README.md) ----

def _pip_install(source, target):
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps",
                    "--no-build-isolation", "--no-index", "--quiet",
                    "--target", str(target), str(source)],
                   check=True, capture_output=True, text=True, timeout=240)


def _library_seen_by(site, cwd):
    env = dict(os.environ, PYTHONPATH=str(site))
    env.pop("PARLEY_LIBRARY", None)
    out = subprocess.run(
        [sys.executable, "-c",
         "import parley; s = parley.Scenario.builtin('talks'); "
         "print(parley.library_path()); print(s.analyze(threads=1).zone_size)"],
        cwd=str(cwd), env=env, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr
    path, zone = out.stdout.split()
    assert int(zone) == 0  # the talks as they stand have no agreement zone
    return path


def test_installed_copy_finds_the_clone_build_without_PARLEY_LIBRARY(tmp_path):
    _pip_install(os.path.join(ROOT, "python"), tmp_path / "site")
    path = _library_seen_by(tmp_path / "site", tmp_path)
    assert os.path.dirname(os.path.dirname(path)) == ROOT  # ROOT/build*/
    assert os.path.basename(path) == "libparley.so"


def test_installed_copy_finds_a_cmake_installed_library(tmp_path):
    # A clone of its own (python/ and a build tree), installed with cmake
    # --install into a prefix, the package installed with pip, then the
    # clone removed: only the installed library is left to find.
    build = os.path.dirname(os.environ["PARLEY_LIBRARY"]) \
        if "PARLEY_LIBRARY" in os.environ else os.path.join(ROOT, "build")
    prefix = tmp_path / "prefix"
    clone = tmp_path / "clone"
    shutil.copytree(os.path.join(ROOT, "python"), clone / "python",
                    ignore=shutil.ignore_patterns("tests", "build", "*.egg-info",
                                                  "__pycache__"))
    (clone / "CMakeLists.txt").write_text("# marks a clone\n")
    (clone / "build-x").mkdir()
    r = subprocess.run(["cmake", "--install", build, "--prefix", str(prefix)],
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stdout + r.stderr
    with open(os.path.join(build, "install_manifest.txt")) as f:
        listed = f.read()
    (clone / "build-x" / "install_manifest.txt").write_text(listed)
    _pip_install(clone / "python", tmp_path / "site")
    shutil.rmtree(clone)
    path = _library_seen_by(tmp_path / "site", tmp_path)
    assert path.startswith(str(prefix) + os.sep), path


# ---- help() and type hints on every public object (issue 16) ----

def _public_callables():
    import inspect
    for name in parley.__all__:
        obj = getattr(parley, name)
        if isinstance(obj, str):  # ACCEPT, REJECT, END: plain strings
            continue
        yield name, obj
        if inspect.isclass(obj):
            for m, v in vars(obj).items():
                if m.startswith("_"):
                    continue
                if isinstance(v, property):
                    yield f"{name}.{m}", v.fget
                elif isinstance(v, (classmethod, staticmethod)):
                    yield f"{name}.{m}", v.__func__
                elif inspect.isfunction(v):
                    yield f"{name}.{m}", v


def test_help_and_type_hints_on_every_public_object():
    import inspect
    import pydoc
    assert parley.__doc__ and parley.__all__
    undocumented, unhinted = [], []
    for name, obj in _public_callables():
        assert pydoc.render_doc(obj)  # what help() prints
        if not (obj.__doc__ or "").strip():
            undocumented.append(name)
        if inspect.isclass(obj):
            continue
        sig = inspect.signature(obj)
        unhinted += [f"{name}({p})" for p, v in sig.parameters.items()
                     if p not in ("self", "cls") and v.annotation is v.empty]
        if sig.return_annotation is sig.empty:
            unhinted.append(f"{name} -> ?")
    assert undocumented == []
    assert unhinted == []
