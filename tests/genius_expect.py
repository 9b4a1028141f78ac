#!/usr/bin/python3
"""Expected GENIUS sessions, derived from the rules alone.

A from-scratch transcription of shared/reference/genius-agents.md and
genius-semantics.md (copied rules, not parley's code: nothing here is
shared with src/). It reads a GENIUS domain folder with Python's own XML
parser, ranks the bids as GENIUS's SortedOutcomeSpace does, and plays a
stacked alternating offers session between GENIUS time-dependent
agents (one per profile, in natural file-name order), printing the trace round by round. The traces in
tests/test_genius_agents.c were produced with it and checked by hand on
their first and last rounds (the comments there show the arithmetic).

    python3 tests/genius_expect.py tests/data/genius/Laptop \
        genius-boulware genius-conceder 10     # agents..., then N

Python floats are IEEE doubles and math.pow is C's pow, so the sums and
targets are the same doubles GENIUS computes when the operations are made
in the same order (they are, below).
"""
import math
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

FAMILY = {  # name: (family, e)
    "genius-boulware": (1, 0.2),
    "genius-conceder": (1, 2.0),
    "genius-linear": (1, 1.0),
    "genius-hardliner": (1, 0.0),
    "genius-party-boulware": (2, 0.2),
    "genius-party-conceder": (2, 2.0),
}


def natural_key(name):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def read_issues(root):
    """[(index, name, [value names])] in file order."""
    issues = []
    for node in root.iter("issue"):
        values = [item.get("value") for item in node.findall("item")]
        issues.append((node.get("index"), node.get("name"), values))
    return issues


def read_profile(path, issues):
    root = ET.parse(path).getroot()
    weights = {w.get("index"): float(w.get("value")) for w in root.iter("weight")}
    evals = {}
    for node in root.iter("issue"):
        table = {}
        for item in node.findall("item"):
            table[item.get("value")] = float(item.get("evaluation"))
        evals[node.get("index")] = table
    terms = []
    for index, _, values in issues:
        table = evals[index]
        top = max(table.values())
        norm = [0.0 if top < 0.00001 else table[v] / top for v in values]
        terms.append((weights[index], norm))
    rv = root.find("reservation")
    return terms, float(rv.get("value")) if rv is not None else 0.0


def utility(terms, bid):
    u = 0.0
    for (w, norm), v in zip(terms, bid):
        u += w * norm[v]  # weight * (evaluation / issue max), file order
    return 1.0 if u > 1 else u


def java_hash(text):
    h = 0
    for unit in text.encode("utf-16-be").hex(" ", 2).split():
        h = (31 * h + int(unit, 16)) & 0xFFFFFFFF
    return h


def double_hash(x):
    bits = struct.unpack(">Q", struct.pack(">d", x))[0]
    return (bits ^ (bits >> 32)) & 0xFFFFFFFF


def signed(h):
    return h - (1 << 32) if h >= 1 << 31 else h


def bid_hash(issues, bid, u):
    s = 0
    for (_, _, values), v in zip(issues, bid):
        s = (s + java_hash(values[v])) & 0xFFFFFFFF
    h = (31 + s) & 0xFFFFFFFF
    h = (31 * h + double_hash(u)) & 0xFFFFFFFF
    h = (31 * h + double_hash(-1.0)) & 0xFFFFFFFF
    return signed(h)


def all_bids(issues):
    bids = [()]
    for _, _, values in issues:
        bids = [b + (v,) for b in bids for v in range(len(values))]
    return bids  # last issue fastest


def ranking(issues, terms):
    rows = []
    for x, bid in enumerate(all_bids(issues)):
        u = utility(terms, bid)
        rows.append((-u, bid_hash(issues, bid, u), x, bid, u))
    rows.sort()
    return [(bid, u) for _, _, _, bid, u in rows]


def near(ranked, p):
    """getBidNearUtility: the halving, then the next rank if strictly closer."""
    low, high, middle = 0, len(ranked) - 1, -1
    while True:
        last = middle
        middle = (low + high) // 2
        u = ranked[middle][1]
        if u == p:
            return middle
        if u < p:
            high = middle
        else:
            low = middle
        if middle == last:
            break
    if middle + 1 < len(ranked):
        if abs(ranked[middle + 1][1] - p) < abs(ranked[middle][1] - p):
            middle += 1
    return middle


class Agent:
    def __init__(self, name, issues, terms, rv, deadline):
        self.family, self.e = FAMILY[name]
        self.terms, self.n = terms, deadline
        self.ranked = ranking(issues, terms)
        self.pmax = self.ranked[0][1]
        self.pmin = max(self.ranked[-1][1], rv)

    def target(self, r):
        t = r / (self.n + 1)
        if self.family == 1:
            f = 0.0 if self.e == 0 else 0.0 + (1 - 0.0) * math.pow(t, 1 / self.e)
            return self.pmin + (self.pmax - self.pmin) * (1 - f)
        x = t - 1.0 / (self.n + 1)
        target = 1.0 - (0.0 if self.e == 0 else math.pow(x, 1.0 / self.e))
        return target if target > 0 else 0.0

    def act(self, r, table):
        p = self.target(r)
        bid, planned = self.ranked[near(self.ranked, p)]
        if table is not None:
            u = utility(self.terms, table)
            if (planned < u) if self.family == 2 else (u >= planned):
                return "accept", table, p
        return "offer", bid, p


def load(folder):
    files = sorted(os.listdir(folder), key=natural_key)
    domain, profiles = None, []
    for f in files:
        if not f.endswith(".xml"):
            continue
        root = ET.parse(os.path.join(folder, f)).getroot()
        if any(i.get("evaluation") for i in root.iter("item")):
            profiles.append(os.path.join(folder, f))
        else:
            domain = root
    issues = read_issues(domain)
    return issues, [read_profile(p, issues) for p in profiles]


def session(folder, names, deadline):
    issues, profiles = load(folder)
    agents = [Agent(n, issues, t, rv, deadline) for n, (t, rv) in zip(names, profiles)]
    table, agreeing = None, 0
    for r in range(1, deadline + 1):
        for who, agent in enumerate(agents):
            act, bid, p = agent.act(r, table)
            us = " ".join("%.17g" % utility(t, bid) for t, _ in profiles)
            label = "|".join(issues[i][2][v] for i, v in enumerate(bid))
            print("%d %d %s %.17g [%s] %s" % (r, who, act, p, us, label))
            # SAOP: an offer followed by n - 1 accepts is agreed.
            agreeing = agreeing + 1 if act == "accept" else 1
            if agreeing == len(agents):
                return
            table = bid
    print("deadline")


if __name__ == "__main__":
    session(sys.argv[1], sys.argv[2:-1], int(sys.argv[-1]))
