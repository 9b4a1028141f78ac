"""bench/planner_table.py - runs the rows of bench/planner.sh and prints
the Markdown table (see that script and bench/README.md)."""
import json
import os
import subprocess
import sys
import time

work, parley, base, pynp, nash, timeout, quick, base_name = sys.argv[1:9]
timeout, quick = float(timeout), quick == "1"


def timed(cmd):
    """Wall seconds from process start to exit, or None (failed, timed out)."""
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, b""
    dt = time.monotonic() - t0
    return (dt if r.returncode == 0 else None), r.stdout


def analyze(binary, path, threads, out):
    dt, _ = timed([binary, "analyze", path, "--json", "--threads",
                   str(threads), "--output", out])
    doc = None
    if dt is not None:
        doc = json.load(open(out))
        os.remove(out)
    return dt, doc


def numpy_time(path):
    doc = path
    if os.path.isdir(path):  # GENIUS: the same numbers as parley JSON
        doc = os.path.join(work, "np.json")
        with open(doc, "wb") as f:
            r = subprocess.run([parley, "convert", "--to", "parley", path],
                               stdout=f, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            return None
    dt, out = timed([pynp, nash, doc])
    return dt


def cell(x, fmt="%.4f"):
    return "-" if x is None else fmt % x


rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(work, "rows"))]
head = ["scenario", "parties", "outcomes", "threads", "count", "frontier",
        "solutions", "analysis s", "wall s", "M outcomes/s", "base wall s",
        "numpy s", "parley/numpy"]
table = []
for label, path in rows:
    if quick and label == "genius AgentHp2":
        continue  # seconds per run before the planner
    for threads in (1, 2):
        dt, doc = analyze(parley, path, threads, os.path.join(work, "o.json"))
        if doc is None:
            table.append([label, "-", "-", str(threads)] + ["error"] * 9)
            continue
        n = doc["outcomes"]
        big = n > 10 ** 9
        if threads == 2 and (n < 10 ** 7 or big):
            continue  # threads matter from 10^7 on; not to branch and bound
        m = doc["run"]["stages"].get("methods", {})
        bdt = nsec = None
        if threads == 1 and base and not (quick and n > 10 ** 7):
            bdt, _ = analyze(base, path, 1, os.path.join(work, "b.json"))
        if threads == 1 and not big and not (quick and n > 10 ** 7):
            nsec = numpy_time(path)
        sys.stderr.write("%s t%d: %.3f s\n" % (label, threads, dt))
        table.append([label, str(len(doc["parties"])), "{:,}".format(n),
                      str(threads), str(m.get("count")), str(m.get("frontier")),
                      str(m.get("solutions")), cell(doc["run"]["seconds"]),
                      cell(dt), cell(None if big else n / dt / 1e6, "%.1f"), cell(bdt),
                      cell(nsec),
                      cell(dt / nsec if nsec else None, "%.4f")])

print("parley analyze: planner vs enumeration (base %s) vs numpy, %s, %d cores"
      % (base_name if base else "none", time.strftime("%Y-%m-%d"),
         os.cpu_count()))
print()
widths = [max(len(r[c]) for r in table + [head]) for c in range(len(head))]
print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in table:
    print("| " + " | ".join(x.ljust(w) for x, w in zip(r, widths)) + " |")
