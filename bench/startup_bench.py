"""bench/startup_bench.py - process start to exit of short parley commands.

Run by bench/startup.sh:

    python3 startup_bench.py ROUNDS NAME=BINARY [NAME=BINARY ...] -- \
        LABEL<TAB>ARGS ... (one command per line on stdin)

Each round runs every (binary, command) pair once, the binaries in an order
that rotates with the round, so a slow patch of a shared machine falls on
all of them alike. A run is spawned directly (no shell) with stdout and
stderr sent to /dev/null; wall time is measured around the spawn and the
wait, CPU time (user + system) and minor page faults come from the child's
rusage (wait4), the same counters `perf stat` reads as task-clock and
page-faults. Prints one tab-separated line per (command, binary): label,
binary name, median wall ms, median CPU ms, median page faults, and the
25th-75th percentiles of the wall time.
"""

import os
import shlex
import statistics
import sys
import time


def quartiles(xs):
    xs = sorted(xs)
    if len(xs) < 4:
        return xs[0], xs[-1]
    q = statistics.quantiles(xs, n=4)
    return q[0], q[2]


def run_once(binary, args):
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter_ns()
        pid = os.posix_spawn(binary, [binary] + args, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1),
                                           (os.POSIX_SPAWN_DUP2, devnull, 2)])
        _, status, ru = os.wait4(pid, 0)
        t1 = time.perf_counter_ns()
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"startup_bench: {binary} {shlex.join(args)} failed "
                 f"(status {status})")
    return ((t1 - t0) / 1e6, (ru.ru_utime + ru.ru_stime) * 1e3, ru.ru_minflt)


def main():
    rounds = int(sys.argv[1])
    split = sys.argv.index("--")
    binaries = [b.split("=", 1) for b in sys.argv[2:split]]
    commands = []
    for line in sys.stdin:
        if line.strip():
            label, args = line.rstrip("\n").split("\t", 1)
            commands.append((label, shlex.split(args)))
    samples = {(c, b): [] for c, _ in commands for b, _ in binaries}
    for r in range(rounds):
        order = binaries[r % len(binaries):] + binaries[:r % len(binaries)]
        for label, args in commands:
            for name, binary in order:
                samples[(label, name)].append(run_once(binary, args))
    for label, _ in commands:
        for name, _ in binaries:
            s = samples[(label, name)]
            wall = [x[0] for x in s]
            lo, hi = quartiles(wall)
            print("\t".join([label, name, f"{statistics.median(wall):.2f}",
                             f"{statistics.median(x[1] for x in s):.2f}",
                             f"{statistics.median(x[2] for x in s):.0f}",
                             f"{lo:.2f}-{hi:.2f}"]))


if __name__ == "__main__":
    main()
