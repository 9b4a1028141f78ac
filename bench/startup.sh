#!/bin/sh
# bench/startup.sh - short commands from process start to exit (issue 13,
# item 7: the talks' 8,100 packages analysed and written as JSON in under
# 5 ms). Builds this tree (Release, $BUILD) and a baseline commit, then
# runs each command below BENCH_REPEAT times (default 21) per binary,
# interleaved (bench/startup_bench.py), and prints a table of medians.
#
#   sh bench/startup.sh              baseline: the merge base with main
#   sh bench/startup.sh REV          baseline: commit REV ("none": no baseline)
#   BENCH_REPEAT=51 sh bench/startup.sh
#
# Columns: wall ms (process start to exit, the median and its 25th-75th
# percentiles), cpu ms (user + system time of the process, what `perf stat`
# calls task-clock) and page faults (minor faults, as `perf stat -e
# page-faults` counts them). Wall time includes waiting for a core: on a
# shared machine read it beside the load average printed above the table.
# The `--version` row is the floor: loading the program and its libraries
# and exiting, with no scenario read.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
REPEAT=${BENCH_REPEAT:-21}
BASE=${1:-$(git -C "$ROOT" merge-base HEAD main 2>/dev/null || echo none)}

bench_start parley-startup
release_build bench/startup.sh parley-cli
base_build "$BASE"
binaries="this=$BUILD/parley"
[ -n "$BASEBIN" ] && binaries="$binaries base=$BASEBIN"

OUT="$WORK/t.json"
TALKS="$ROOT/scenarios/talks.json"
{
  printf -- '--version (start-up alone)\t--version\n'
  printf 'analyze\tanalyze\n'
  printf 'analyze --json --output F\tanalyze --json --output %s\n' "$OUT"
  printf 'validate (talks.json)\tvalidate %s\n' "$TALKS"
  printf 'negotiate\tnegotiate\n'
} >"$WORK/commands"

say "running $REPEAT interleaved rounds ..."
# shellcheck disable=SC2086
"$PY" "$ROOT/bench/startup_bench.py" "$REPEAT" $binaries -- \
  <"$WORK/commands" >"$WORK/results"

echo "parley start to exit, $(date -u '+%Y-%m-%d %H:%M') UTC, this =" \
  "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')," \
  "base = $(git -C "$ROOT" rev-parse --short "$BASE" 2>/dev/null || echo none)," \
  "$(nproc) cores, $REPEAT rounds, load average $LOAD_BEFORE before," \
  "$(cut -d' ' -f1-3 /proc/loadavg) after"
echo
echo "| command | binary | wall ms | wall 25-75% | cpu ms | page faults |"
echo "|---|---|--:|--:|--:|--:|"
while IFS="$(printf '\t')" read -r label name wall cpu faults range; do
  echo "| $label | $name | $wall | $range | $cpu | $faults |"
done <"$WORK/results"
