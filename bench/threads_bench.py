"""bench/threads_bench.py - the measurement of bench/threads.sh.

Usage: threads_bench.py REPEAT OUTJSON ROWS LABEL=BINARY...

ROWS is a file of "label<TAB>scenario path" lines (an empty path: the
built-in talks). For each row, binary and competitor setting the script
has already started, it runs `BINARY analyze PATH --json --output OUTJSON
--threads T` REPEAT times for T = 1 and 2, interleaved: round r runs
t1 then t2 when r is even, t2 then t1 when odd, so that a slow patch of
the machine falls on both. Each run gives three times: wall (process
start to exit), CPU (user + system of the child, from getrusage, in
microseconds) and the analysis alone (the JSON's run.seconds). Printed:
one Markdown row per (binary, scenario) with the medians and the
25th-75th percentiles, and the median of the REPEAT paired ratios
t2 / t1, which cancels the drift of a shared machine better than a ratio
of medians.
"""
import json
import resource
import statistics
import subprocess
import sys
import time


def run_once(binary, path, threads, out):
    cmd = [binary, "analyze"] + ([path] if path else []) + [
        "--json", "--output", out, "--threads", str(threads)]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    with open(out) as f:
        analysis = json.load(f)["run"]["seconds"]
    return wall, cpu, analysis


def quartiles(xs):
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], statistics.median(xs), q[2]


def cell(xs, scale=1000.0):
    lo, mid, hi = quartiles(xs)
    return "%.1f (%.1f-%.1f)" % (mid * scale, lo * scale, hi * scale)


def ratio_cell(xs):
    lo, mid, hi = quartiles(xs)
    return "%.2f (%.2f-%.2f)" % (mid, lo, hi)


def main():
    repeat, out, rows_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    binaries = [a.split("=", 1) for a in sys.argv[4:]]
    rows = []
    with open(rows_file) as f:
        for line in f:
            label, _, path = line.rstrip("\n").partition("\t")
            rows.append((label, path))
    for label, path in rows:
        for name, binary in binaries:
            runs = {1: [], 2: []}
            for r in range(repeat):
                order = (1, 2) if r % 2 == 0 else (2, 1)
                for t in order:
                    runs[t].append(run_once(binary, path, t, out))
            wall_ratio = [b[0] / a[0] for a, b in zip(runs[1], runs[2])]
            an_ratio = [b[2] / a[2] if a[2] > 0 else float("nan")
                        for a, b in zip(runs[1], runs[2])]
            cols = [name, label]
            for t in (1, 2):
                cols += [cell([x[0] for x in runs[t]]),
                         cell([x[1] for x in runs[t]]),
                         cell([x[2] for x in runs[t]])]
            cols += [ratio_cell(wall_ratio), ratio_cell(an_ratio)]
            print("| " + " | ".join(cols) + " |", flush=True)


if __name__ == "__main__":
    main()
