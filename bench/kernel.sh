#!/bin/sh
# bench/kernel.sh - the enumeration kernel's worst case (issue 13, item 2):
# zone = every outcome (reservation 0), ties kept, every outcome enumerated
# (PL_PLAN_ENUMERATE, which the planner would avoid), 2, 3 and 5 parties,
# and the GENIUS folders AMPOvsCity and AgentHp2 (reservation 0 already).
#
#   sh bench/kernel.sh [--quick]      (--quick: 10^6 and 10^7 only)
#
# Runs bench/kernel_bench.c (one line per run: outcomes, best seconds of
# REPEATS analyses, zone, frontier points, Nash solution) against this
# tree and, in the same run, against the tree of BENCH_BASE (default
# HEAD~1; "none": no baseline), built from `git archive` into the work
# directory. Runs alternate (base, new, base, new, ...) and the table shows
# the median of BENCH_ROUNDS (default 3) rounds. `same` says whether the
# zone, frontier size and Nash solution agree with the baseline's.
# Columns: M outcomes/s = outcomes / seconds of pl_analyze (wall); target
# = issue 13's (200 for 2-3 parties, 100 for 5), met = new >= target.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
BASE=${BENCH_BASE:-HEAD~1}
ROUNDS=${BENCH_ROUNDS:-3}
GENIUS=${GENIUS:-$ROOT/../shared/scenarios/genius}
[ -d "$GENIUS" ] || GENIUS=/work/shared/scenarios/genius

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
say() { echo "kernel.sh: $*" >&2; }

release_build kernel.sh "parley bench-kernel"
NEW="$BUILD/bench-kernel"
PARLEY="$BUILD/parley"

# The baseline's library (lib.sh's base_build), with this tree's
# kernel_bench.c compiled against it (older trees may lack the program).
base_build "$BASE" parley-static
if [ -n "$BASEBIN" ]; then
  if cc -std=c11 -O2 -I"$WORK/base/include" "$ROOT/bench/kernel_bench.c" \
    "$WORK/base/build/libparley.a" -ljansson -lexpat -lm -ldl -lpthread \
    -o "$WORK/base-kernel" >>"$WORK/base.log" 2>&1; then
    BASEBIN="$WORK/base-kernel"
  else
    BASEBIN=
    say "baseline build failed: base columns empty"
  fi
fi

: >"$WORK/rows"
for p in 2 3 5; do
  for i in 6 7 8; do
    [ "$QUICK" -eq 1 ] && [ "$i" -eq 8 ] && continue
    f="$WORK/g-p$p-i$i.json"
    gen_r0 "$p" "$i" "$f"
    printf 'gen p%s i%s r0\t%s\t%s\n' "$p" "$i" "$p" "$f" >>"$WORK/rows"
  done
done
for g in AMPOvsCity:2 AgentHp2:3; do
  d="$GENIUS/${g%:*}"
  [ -d "$d" ] && printf 'genius %s\t%s\t%s\n' "${g%:*}" "${g#*:}" "$d" \
    >>"$WORK/rows"
done

# median of the whitespace-separated numbers on standard input
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "load average before: $LOAD_BEFORE (1, 5, 15 min); base = $BASE"
echo
echo "| scenario | parties | outcomes | threads | base s | s | base M/s | M outcomes/s | target | met | same |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|"
while IFS="$(printf '\t')" read -r name parties file; do
  for t in 1 2; do
    nb= nn= lb= ln=
    for r in $(seq "$ROUNDS"); do
      if [ -n "$BASEBIN" ]; then
        lb=$(timeout "$TIMEOUT" "$BASEBIN" "$file" "$t" 1 || echo "- - - - -")
        nb="$nb $(echo "$lb" | cut -d' ' -f2)"
      fi
      ln=$(timeout "$TIMEOUT" "$NEW" "$file" "$t" 1 || echo "- - - - -")
      nn="$nn $(echo "$ln" | cut -d' ' -f2)"
    done
    out=$(echo "$ln" | cut -d' ' -f1)
    sn=$(echo "$nn" | median)
    sb=- rb=- same=-
    if [ -n "$BASEBIN" ]; then
      sb=$(echo "$nb" | median)
      rb=$(awk -v o="$out" -v s="$sb" 'BEGIN {printf "%.1f", o / s / 1e6}')
      [ "$(echo "$lb" | cut -d' ' -f1,3-)" = "$(echo "$ln" | cut -d' ' -f1,3-)" ] &&
        same=yes || same=NO
    fi
    rn=$(awk -v o="$out" -v s="$sn" 'BEGIN {printf "%.1f", o / s / 1e6}')
    target=200
    [ "$parties" -ge 5 ] && target=100
    met=$(awk -v r="$rn" -v g="$target" 'BEGIN {print (r >= g) ? "yes" : "no"}')
    echo "| $name | $parties | $out | $t | $sb | $sn | $rb | $rn | $target | $met | $same |"
  done
done <"$WORK/rows"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
