"""bench/output_table.py - runs the rows of bench/output.sh and prints the
Markdown table (see that script and bench/README.md)."""
import json
import os
import resource
import subprocess
import sys
import time

work, parley, base, nash, timeout, repeat, base_name = sys.argv[1:8]
timeout, repeat = float(timeout), int(repeat)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(cmd, out):
    """(wall, cpu, bytes written) of one run, or None."""
    c0, t0 = children_cpu(), time.monotonic()
    with open(out, "wb") as f:
        try:
            r = subprocess.run(cmd, stdout=f, stderr=subprocess.DEVNULL,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
    wall, cpu = time.monotonic() - t0, children_cpu() - c0
    return (wall, cpu, os.path.getsize(out)) if r.returncode == 0 else None


def best(binary, scenario, extra):
    """Best wall of `repeat` runs, its cpu, MB and run.seconds."""
    cmd = [binary, "analyze"] + ([] if scenario == "-" else [scenario])
    cmd += ["--threads", "1"]
    text = extra == "(text)"
    if not text:
        cmd += extra.split()
    out = os.path.join(work, "out")
    runs = [run_once(cmd, out) for _ in range(repeat)]
    runs = [r for r in runs if r]
    if not runs:
        return None
    wall, cpu, size = min(runs)
    seconds = None
    if not text:
        seconds = json.load(open(out))["run"]["seconds"]
    os.remove(out)
    return wall, cpu, size / 1e6, seconds


def numpy_wall(doc):
    if doc == "-":
        return None
    t0 = time.monotonic()
    r = subprocess.run(["/usr/bin/python3", nash, doc],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t0 if r.returncode == 0 else None


def cell(x, fmt="%.3f"):
    return "-" if x is None else fmt % x


head = ["scenario", "output", "wall s", "cpu s", "analysis s", "MB",
        "base wall s", "base cpu s", "numpy s", "parley/numpy"]
table = []
for line in open(os.path.join(work, "rows")):
    label, scenario, extra, npdoc = line.rstrip("\n").split("\t")
    new = best(parley, scenario, extra)
    old = best(base, scenario, extra) if base else None
    nsec = numpy_wall(npdoc)
    sys.stderr.write("%s %s: %s\n" % (label, extra, cell(new and new[0])))
    table.append([label, extra, cell(new and new[0]), cell(new and new[1]),
                  cell(new and new[3], "%.4f"), cell(new and new[2], "%.1f"),
                  cell(old and old[0]), cell(old and old[1]), cell(nsec),
                  cell(new[0] / nsec if new and nsec else None, "%.4f")])

print("parley analyze: large frontiers, process start to output written "
      "(base %s), %s, %d cores, best of %d"
      % (base_name if base else "none", time.strftime("%Y-%m-%d"),
         os.cpu_count(), repeat))
print()
widths = [max(len(r[c]) for r in table + [head]) for c in range(len(head))]
print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in table:
    print("| " + " | ".join(x.ljust(w) for x, w in zip(r, widths)) + " |")
