#!/bin/sh
# bench/planner.sh - the planner (issue 13) against the enumeration it
# replaces and against a numpy brute force, on the inputs users have:
# reservation value 0 (every outcome in the zone) and the GENIUS folders.
#
#   sh bench/planner.sh          all rows (a few minutes on 2 shared cores)
#   sh bench/planner.sh --quick  10^6 and 10^7 generated rows, no baseline
#                                build at 10^8, GENIUS folders up to 10^6
#
# Rows: `parley generate --parties P --issues I --values 10 --seed 1` with
# every reservation value set to 0 (by python), P = 2, 3, 5, I = 6, 7, 8;
# the 3-party 10^8 one also converted to a GENIUS folder (`parley convert
# --to genius`: the GENIUS reading, utilities capped at 1), the issue's
# "done when" row; every folder of ../shared/scenarios/genius.
#
# Each row runs, one after the other, on one thread unless said:
#   parley  this tree's `parley analyze FILE --json --output F`, timed from
#           process start to exit (wall), also with --threads 2;
#   base    the same with the binary of BENCH_BASE (default dcdef87, the
#           commit before the planner), built from `git archive` in the
#           work directory; BENCH_BASE=none skips it;
#   numpy   bench/nash_numpy.py: the Nash product over every outcome,
#           vectorised in chunks of 2^20, timed from process start
#           (needs Debian's python3-numpy: installed here with apt-get
#           when missing and run as root, otherwise the column shows -).
# Environment: BENCH_TIMEOUT (seconds per run, default 120),
#              BENCH_BASE (commit of the baseline, or none).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
BASE=${BENCH_BASE:-dcdef87}
GENIUS="$ROOT/../shared/scenarios/genius"
PYNP=/usr/bin/python3

bench_start parley-planner
release_build bench/planner.sh parley
PARLEY="$BUILD/parley"

if ! "$PYNP" -c 'import numpy' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing python3-numpy (Debian) for the baseline ..."
    apt-get install -y python3-numpy >"$WORK/apt.log" 2>&1 ||
      say "apt-get install python3-numpy failed: numpy column empty"
  else
    say "python3-numpy missing (not root): numpy column empty"
  fi
fi

base_build "$BASE"

# The scenarios: "LABEL<TAB>PATH", one a line.
: >"$WORK/rows"
for p in 2 3 5; do
  for i in 6 7 8; do
    [ "$QUICK" -eq 1 ] && [ "$i" -eq 8 ] && continue
    f="$WORK/g-p$p-i$i.json"
    gen_r0 "$p" "$i" "$f"
    printf 'gen p%s i%s r0\t%s\n' "$p" "$i" "$f" >>"$WORK/rows"
    if [ "$p" -eq 3 ] && [ "$i" -eq 8 ]; then
      "$PARLEY" convert --to genius "$f" "$WORK/g3-genius" >/dev/null
      printf 'gen p3 i8 r0 (GENIUS)\t%s\n' "$WORK/g3-genius" >>"$WORK/rows"
    fi
  done
done
if [ -d "$GENIUS" ]; then
  for d in "$GENIUS"/*/; do
    d=${d%/}
    printf 'genius %s\t%s\n' "$(basename "$d")" "$d" >>"$WORK/rows"
  done
fi

say "running (timeout $TIMEOUT s per run) ..."
"$PY" "$ROOT/bench/planner_table.py" "$WORK" "$PARLEY" "${BASEBIN:-}" \
  "$PYNP" "$ROOT/bench/nash_numpy.py" "$TIMEOUT" "$QUICK" "$BASE"
say "load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
