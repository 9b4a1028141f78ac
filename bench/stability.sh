#!/bin/sh
# bench/stability.sh - time and peak memory of `parley stability` on
# generated conflicts of 8 .. 24 options and 2 .. 5 decision makers, and the
# largest size that completes within 10 s for each number of DMs.
#
#   bench/stability.sh            the full table (2-5 minutes on 2 cores)
#   bench/stability.sh --quick    8 .. 16 options only
#
# Environment: BENCH_LIMIT    seconds a run may take to count (default 10)
#              BENCH_TIMEOUT  seconds after which a run is stopped (12)
#
# Builds the library (Release) into build-bench/ and a small driver that
# runs the same code as `parley stability FILE` (cli/stability.c) and reports
# its own peak memory (getrusage) when /usr/bin/time is missing. Conflicts
# are generated with fixed seeds by the Python below (standard library
# only). Progress goes to stderr, the Markdown table to stdout. See
# bench/STABILITY.md.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build-bench"
PY=/usr/bin/python3
LIMIT=${BENCH_LIMIT:-10}
TIMEOUT=${BENCH_TIMEOUT:-12}
SIZES="8 10 12 14 16 18 20 22 24"
DMS="2 3 4 5"

for arg in "$@"; do
  case $arg in
    --quick) SIZES="8 10 12 14 16" ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/stability.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/parley-stability.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
say() { echo "$*" >&2; }

# ---- Build ---------------------------------------------------------------
. "$ROOT/bench/lib.sh"
release_build bench/stability.sh parley

# The driver: `stability ARGS...` exactly as the parley command runs it,
# then the process's peak resident memory on stderr.
cat >"$WORK/driver.c" <<'EOF'
#include <stdio.h>
#include <sys/resource.h>
int pl_cli_stability(int argc, char **argv);
int main(int argc, char **argv) {
  int rc = pl_cli_stability(argc - 1, argv + 1);
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0)
    fprintf(stderr, "peak-rss-kb %ld\n", ru.ru_maxrss);
  return rc;
}
EOF
LIBS=$(pkg-config --libs jansson expat 2>/dev/null || echo "-ljansson -lexpat")
cc -O2 -std=c11 -I"$ROOT/include" -o "$WORK/stability" "$WORK/driver.c" \
  "$ROOT/cli/stability.c" "$BUILD/libparley.a" $LIBS -lpthread -lm

# ---- Conflicts: m options dealt round robin to n DMs ----------------------
# Each option is reversible with probability 3/4, else can only be taken or
# only dropped; each DM has 4 to 6 statements over 1 to 3 options (not,
# and, or, if, iff); m/8 pairs of options are mutually exclusive.
cat >"$WORK/gen.py" <<'EOF'
import json, random, sys
m, n, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed * 1000 + m * 10 + n)
names = ["o%d" % k for k in range(m)]
dms = []
for i in range(n):
    opts = [{"name": names[k],
             "reversibility": r.choice(["both"] * 6 + ["to_yes", "to_no"])}
            for k in range(i, m, n)]
    prefs = []
    for q in range(r.randint(4, 6)):
        ks = r.sample(range(m), r.choice([1, 2, 2, 3]))
        lit = [("not " if r.random() < 0.5 else "") + names[k] for k in ks]
        if len(lit) == 1:
            prefs.append(lit[0])
        else:
            op = r.choice([" and ", " or ", " if ", " iff "])
            rest = lit[1] if len(lit) == 2 else "(" + " and ".join(lit[1:]) + ")"
            prefs.append(lit[0] + op + rest)
    dms.append({"name": "D%d" % (i + 1), "options": opts, "preferences": prefs})
rules = [{"exclusive": [names[a], names[b]]}
         for a, b in (r.sample(range(m), 2) for _ in range(m // 8))]
json.dump({"conflict": 1, "name": "bench-%d-%d" % (m, n),
           "decision_makers": dms, "infeasible": rules}, sys.stdout)
EOF

# ---- Runs ------------------------------------------------------------------
HAVE_TIME=0
[ -x /usr/bin/time ] && HAVE_TIME=1
THREADS=$(nproc 2>/dev/null || echo "?")

# run M N: prints "states seconds analysis peak_mb status"
run() {
  f="$WORK/c-$1-$2.json"
  $PY "$WORK/gen.py" "$1" "$2" 1 >"$f"
  start=$(date +%s.%N)
  set +e
  if [ $HAVE_TIME = 1 ]; then
    timeout "$TIMEOUT" /usr/bin/time -v "$WORK/stability" stability "$f" \
      >"$WORK/out" 2>"$WORK/err"
  else
    timeout "$TIMEOUT" "$WORK/stability" stability "$f" \
      >"$WORK/out" 2>"$WORK/err"
  fi
  rc=$?
  set -e
  end=$(date +%s.%N)
  $PY - "$WORK/out" "$WORK/err" "$start" "$end" "$rc" <<'EOF'
import re, sys
out = open(sys.argv[1]).read()
err = open(sys.argv[2]).read()
wall = float(sys.argv[4]) - float(sys.argv[3])
rc = int(sys.argv[5])
states = re.search(r"(\d+) of \d+ states are feasible", out)
analysis = re.search(r"threads?, ([0-9.]+) s\.", out)
kb = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err) or \
     re.search(r"peak-rss-kb (\d+)", err)
print(states.group(1) if states else "-",
      "%.2f" % wall,
      analysis.group(1) if analysis else "-",
      "%.0f" % (int(kb.group(1)) / 1024) if kb else "-",
      "ok" if rc == 0 else ("timeout" if rc == 124 else "rc=%d" % rc))
EOF
}

say "running (threads: $THREADS; a run over ${TIMEOUT} s is stopped) ..."
echo "| DMs | options | feasible states | wall (s) | analysis (s) | peak memory (MB) |"
echo "|--:|--:|--:|--:|--:|--:|"
SUMMARY=""
for n in $DMS; do
  best="-"
  stop=0
  for m in $SIZES; do
    if [ $stop = 1 ]; then
      echo "| $n | $m | | skipped | | |"
      continue
    fi
    say "  $n DMs, $m options"
    set -- $(run "$m" "$n")
    states=$1 wall=$2 an=$3 mb=$4 status=$5
    if [ "$status" != ok ]; then
      echo "| $n | $m | $states | > $TIMEOUT ($status) | | |"
      stop=1
      continue
    fi
    echo "| $n | $m | $states | $wall | $an | $mb |"
    if $PY -c "import sys; sys.exit(0 if float('$wall') <= $LIMIT else 1)"; then
      best=$m
    else
      stop=1
    fi
  done
  SUMMARY="$SUMMARY| $n | $best |
"
done
echo
echo "Largest size completing within $LIMIT s (wall time, $THREADS threads):"
echo
echo "| DMs | options |"
echo "|--:|--:|"
printf "%s" "$SUMMARY"
