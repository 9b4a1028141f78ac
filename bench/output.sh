#!/bin/sh
# bench/output.sh - large frontiers from process start to JSON written
# (issue 13: "AgentHp2's full analysis is under 0.3 s on one thread"),
# against the binary of the commit before and a numpy brute force.
#
#   sh bench/output.sh          every row, best of BENCH_REPEAT (3) runs
#   sh bench/output.sh --quick  one run each
#
# Rows (one thread each):
#   genius AgentHp2    ../shared/scenarios/genius/AgentHp2 (when present):
#                      3 parties, 5,764,801 outcomes, reservation 0, a
#                      frontier of 136,917 packages (990 distinct points),
#                      65 MB of JSON; as `--json`, `--json --frontier none`
#                      and the text report;
#   opposed p2 i7 v5   written here: 2 parties with opposed, exactly
#                      representable utilities (every term a multiple of
#                      1/32) over 7 categorical issues of 5 options, so
#                      that all 78,125 outcomes are on the frontier: the
#                      output's worst case per outcome;
#   built-in talks     the default scenario (8,100 outcomes), for scale.
# Columns: wall s (process start to exit) and cpu s (user + system, from
# the children's rusage) of this tree's `parley analyze`; analysis s
# (run.seconds); MB written; the same wall and cpu for the binary of
# BENCH_BASE (default 2664203, the commit before the frontier by equal
# partial sums and the streamed JSON; BENCH_BASE=none skips it; built
# from `git archive`); numpy s: bench/nash_numpy.py's Nash product alone
# over every outcome, from process start; parley/numpy: wall over numpy's.
# Environment: BENCH_TIMEOUT (seconds per run, default 120), BENCH_BASE,
# BENCH_REPEAT.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
BASE=${BENCH_BASE:-2664203}
REPEAT=${BENCH_REPEAT:-3}
[ "$QUICK" -eq 1 ] && REPEAT=1
GENIUS="$ROOT/../shared/scenarios/genius"

bench_start parley-output
release_build bench/output.sh parley
PARLEY="$BUILD/parley"

base_build "$BASE"

"$PY" -c '
import json, sys
n, v = 7, 5
issues = [{"name": "i%d" % i, "type": "categorical",
           "options": ["o%d" % k for k in range(v)]} for i in range(n)]
w = {"i%d" % i: 0.25 if i == 0 else 0.125 for i in range(n)}
def party(name, up):
    return {"name": name, "reservation": 0, "weights": w,
            "values": {"i%d" % i: {"o%d" % k: (k if up else v - 1 - k) / (v - 1)
                                   for k in range(v)} for i in range(n)}}
json.dump({"parley": 1, "name": "opposed", "issues": issues,
           "parties": [party("up", True), party("down", False)]},
          open(sys.argv[1], "w"))' "$WORK/opposed.json"

# "LABEL<TAB>SCENARIO<TAB>EXTRA OPTIONS<TAB>NUMPY INPUT", one a line.
: >"$WORK/rows"
if [ -d "$GENIUS/AgentHp2" ]; then
  "$PARLEY" convert --to parley "$GENIUS/AgentHp2" >"$WORK/hp2.json"
  printf 'genius AgentHp2\t%s\t--json\t%s\n' "$GENIUS/AgentHp2" \
    "$WORK/hp2.json" >>"$WORK/rows"
  printf 'genius AgentHp2\t%s\t--json --frontier none\t-\n' \
    "$GENIUS/AgentHp2" >>"$WORK/rows"
  printf 'genius AgentHp2\t%s\t(text)\t-\n' "$GENIUS/AgentHp2" >>"$WORK/rows"
else
  say "no $GENIUS/AgentHp2: its rows skipped"
fi
printf 'opposed p2 i7 v5\t%s\t--json\t%s\n' "$WORK/opposed.json" \
  "$WORK/opposed.json" >>"$WORK/rows"
printf 'built-in talks\t-\t--json\t-\n' >>"$WORK/rows"

say "running (best of $REPEAT, timeout $TIMEOUT s per run) ..."
"$PY" "$ROOT/bench/output_table.py" "$WORK" "$PARLEY" "${BASEBIN:-}" \
  "$ROOT/bench/nash_numpy.py" "$TIMEOUT" "$REPEAT" "$BASE"
say "load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
