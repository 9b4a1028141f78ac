#!/usr/bin/python3
"""bench/nash_numpy.py - the numpy baseline of bench/planner.sh.

Reads a parley JSON scenario (as written by `parley generate` or
`parley convert --to parley`) and finds the outcome of largest Nash
product prod_p (u_p - r_p) over every outcome where each u_p >= r_p, by
brute force, vectorised: the utilities of the last issues (up to 2^20
combinations) are built once per party with broadcasting, and the first
issues are walked one combination at a time, each adding a constant to
those vectors (chunks of up to 2^20 outcomes). Utilities are sum_i w_i *
v_i(x_i), capped at 1 under the GENIUS reading. Prints one JSON line:
{"outcomes", "seconds" (from process start), "best" (outcome index),
"product"}; exit 2 when the scenario has a value function it cannot
tabulate. A baseline for timing, written the way a numpy user would.
"""
import json
import sys
import time

T0 = time.monotonic()  # process start, near enough (before numpy loads)
import numpy as np  # noqa: E402


def tables(doc):
    """Per party, per issue, the array of w_i * v_i over the issue's options."""
    issues = doc["issues"]
    out = []
    for party in doc["parties"]:
        per = []
        for issue in issues:
            name = issue["name"]
            w = party["weights"].get(name, 0.0)
            vals = party["values"].get(name)
            opts = issue.get("options")
            if isinstance(vals, dict) and "shape" not in vals and opts:
                v = np.array([float(vals.get(str(o), 0.0)) for o in opts])
            elif isinstance(vals, dict) and vals.get("shape") == "table":
                v = np.array([float(y) for _, y in vals["points"]])
            else:
                sys.exit(2)
            per.append(w * v)
        out.append(per)
    return out


def main():
    doc = json.load(open(sys.argv[1]))
    terms = tables(doc)
    capped = doc.get("reading") == "genius"
    res = np.array([float(p.get("reservation", 0.0)) for p in doc["parties"]])
    sizes = [len(t) for t in terms[0]]
    n = 1
    for s in sizes:
        n *= s
    # tail: the last issues, up to 2^20 combinations
    k, tail = len(sizes), 1
    while k > 0 and tail * sizes[k - 1] <= 1 << 20:
        k -= 1
        tail *= sizes[k]
    tail_u = []
    for per in terms:
        u = np.zeros(1)
        for t in per[k:]:
            u = (u[:, None] + t[None, :]).ravel()
        tail_u.append(u)
    best, best_idx = -1.0, -1
    head = int(n // tail)
    for h in range(head):
        digits, x = [], h
        for s in reversed(sizes[:k]):
            digits.append(x % s)
            x //= s
        digits.reverse()
        prod = np.ones(tail)
        ok = np.ones(tail, dtype=bool)
        for p, per in enumerate(terms):
            base = sum(per[i][d] for i, d in enumerate(digits))
            u = base + tail_u[p]
            if capped:
                u = np.minimum(u, 1.0)
            g = u - res[p]
            ok &= g >= -1e-9
            prod *= g
        prod[~ok] = -1.0
        j = int(np.argmax(prod))
        if prod[j] > best:
            best, best_idx = float(prod[j]), h * tail + j
    print(json.dumps({"outcomes": n, "seconds": time.monotonic() - T0,
                      "best": best_idx, "product": best}))


main()
