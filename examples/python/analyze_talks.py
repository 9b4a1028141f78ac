"""Analyse the built-in talks scenario from Python, and a small one with an
agreement zone. Run from this folder with the package on PYTHONPATH
(python/README.md): PYTHONPATH=../../python /usr/bin/python3 analyze_talks.py
"""
import os

import parley

talks = parley.Scenario.builtin("talks")
print(talks.title)
print("parties:", ", ".join(talks.parties), "| ratifiers:", ", ".join(talks.ratifiers))
doc = talks.analyze().to_dict()  # the document of `parley analyze --json`
print("agreements:", doc["agreements"])
for b in doc["blocking"][:3]:
    print("blocking:", " + ".join(b["issues"]), "slack", b["slack"])
if doc["concession"]:
    print("a uniform concession of", doc["concession"]["delta"], "opens the zone")

here = os.path.dirname(os.path.abspath(__file__))
small = parley.Scenario.load(os.path.join(here, "..", "..", "tests", "data", "cli_small.json"))
a = small.analyze()
print("\nsmall scenario:", a.zone_size, "agreements; frontier (utilities per party):")
print(a.frontier)
print("Nash solution package:", a.solutions["nash"])
