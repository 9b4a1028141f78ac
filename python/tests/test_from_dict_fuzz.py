"""A deterministic fuzz of the binding's dict-to-scenario path (issue 20):
Scenario.from_dict on mutants of the built-in scenario's document.

Property, not only "no crash": from_dict(doc) must do exactly what the
library's file loader does with the same text (from_dict is json.dumps and
pl_scenario_load_string; Scenario.load reads the file): both load, with the
same parties, issues and analysis document, or both refuse with the same
problems (file, line, column, message), and every refusal is a
parley.Error naming at least one problem. The mutants come from a seeded
generator (random.Random(seed)), so the run is the same every time."""
import copy
import json
import os
import random

import pytest

import parley

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TALKS = os.path.join(ROOT, "scenarios", "talks.json")

# Values a mutation puts in place of another: wrong types, out-of-range and
# non-finite numbers (json.dumps writes NaN and Infinity, which are not
# JSON), integers beyond 64 bits, empty and long strings, nesting.
ODD = [None, True, False, 0, -1, 1, 0.5, -1e308, 1e308, float("nan"),
       float("inf"), 2**70, -2**63, "", "x" * 300, "stays Ukrainian",
       "donbas", "us", [], {}, [[[[[]]]]], {"a": {"b": {"c": {}}}},
       [1, 2, 3], ["a", "a"], "\u00e9\u0000\u2028"]


def nodes(doc, path=()):
    """Every (container, key) pair of doc, depth first."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc)
    for k, v in list(items):
        yield doc, k
        if isinstance(v, (dict, list)):
            yield from nodes(v, path + (k,))


def mutate(doc, rng):
    """One to three random edits of doc (in place). Half are gentle (a
    number scaled, a string swapped for another of the document), so that
    many mutants load and the comparison reaches the analysis; the others
    delete, duplicate, add or put an odd value anywhere."""
    for _ in range(rng.randint(1, 3)):
        places = list(nodes(doc))
        numbers = [(p, k) for p, k in places
                   if isinstance(p[k], (int, float)) and not isinstance(p[k], bool)]
        strings = [(p, k) for p, k in places if isinstance(p[k], str)]
        what = rng.randrange(8)
        if what < 3 and numbers:
            parent, key = rng.choice(numbers)
            parent[key] = parent[key] * rng.choice([0, 0.5, 0.9, 1.1, 2]) + \
                rng.choice([0, 0, 1e-12, 0.01, -0.01, 1, 10])
            continue
        if what == 3 and strings:
            parent, key = rng.choice(strings)
            other, at = rng.choice(strings)
            parent[key] = other[at]
            continue
        parent, key = rng.choice(places)
        if what == 4 and isinstance(parent, dict):
            del parent[key]
        elif what == 5 and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))  # a duplicate
        elif what == 6 and isinstance(parent, dict):
            parent[rng.choice(["extra", "", key + "_", "parley"])] = \
                rng.choice(ODD)
        else:
            parent[key] = copy.deepcopy(rng.choice(ODD))


def without_times(doc):
    """doc without what the clock decides: "run" and every *_seconds
    (wall times differ between two runs)."""
    if isinstance(doc, dict):
        return {k: without_times(v) for k, v in doc.items()
                if k != "run" and not k.endswith("_seconds")}
    if isinstance(doc, list):
        return [without_times(v) for v in doc]
    return doc


def outcome(load):
    """("ok", parties, issues, analysis) or ("error", problems)."""
    try:
        s = load()
    except parley.Error as e:
        assert e.problems, "a refusal names no problem"
        assert all(p[3] for p in e.problems), "a problem without a message"
        return ("error", e.problems)
    try:
        a = without_times(s.analyze(threads=1, max_outcomes=4096).to_dict())
    except parley.Error as e:
        assert e.problems
        a = ("analysis refused", e.problems)
    return ("ok", s.parties, s.issues, a)


@pytest.mark.parametrize("block", range(4))
def test_from_dict_does_what_the_file_loader_does(block, tmp_path):
    with open(TALKS) as f:
        base = json.load(f)
    loaded = refused = 0
    for seed in range(block * 60, block * 60 + 60):
        rng = random.Random(seed)
        doc = copy.deepcopy(base)
        mutate(doc, rng)
        path = str(tmp_path / f"mutant-{seed}.json")
        with open(path, "w") as f:
            f.write(json.dumps(doc))
        by_dict = outcome(lambda: parley.Scenario.from_dict(doc, path))
        by_file = outcome(lambda: parley.Scenario.load(path))
        assert by_dict == by_file, f"seed {seed}"
        if by_dict[0] == "ok":
            loaded += 1
        else:
            refused += 1
    # Both kinds occur, so the property is tested on each (a generator
    # whose mutants all failed to load would test only the error path).
    assert loaded > 0 and refused > 0, (loaded, refused)
