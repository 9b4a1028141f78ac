#!/bin/sh
# bench/threads.sh - threads on a busy machine (issue 13): `parley analyze`
# with --threads 1 and 2, alone and with competing CPU-bound processes (shell
# loops started by this script, at the script's own priority, and stopped
# by their process ids at the end). The issue's target: --threads 2 never
# more than 10 % slower than --threads 1 with a competitor running.
#
#   sh bench/threads.sh            (about 3 minutes on 2 shared cores)
#   BENCH_REPEAT=21 sh bench/threads.sh      more rounds (default 11)
#   BENCH_COMPETITORS="0 1 2" sh bench/threads.sh   competitors (default 0 1)
#   BENCH_BASE_BIN=/path/to/parley sh bench/threads.sh   also an older binary
#
# Each cell is the median of BENCH_REPEAT runs of `parley analyze FILE
# --json --output F --threads T` with the 25th-75th percentiles beside it:
# wall time from process start to exit, CPU time of the process (user +
# system, getrusage) and the analysis alone (the JSON's run.seconds). t1
# and t2 runs are interleaved (bench/threads_bench.py), and the ratio
# columns are the medians of the paired ratios t2/t1 of each round. Rows:
# the built-in talks, the generated 3-party 10^6 and 10^7 scenarios (seed
# 1), and the GENIUS folders TravelA and AMPOvsCity when
# ../shared/scenarios/genius is there.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
GENIUS="$ROOT/../shared/scenarios/genius"
REPEAT=${BENCH_REPEAT:-11}
COMPETITORS=${BENCH_COMPETITORS:-0 1}

bench_start parley-threads
release_build bench/threads.sh parley-cli
PARLEY="$BUILD/parley"
PIDS=
stop_competitors() {
  for pid in $PIDS; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=
}
trap 'stop_competitors; rm -rf "$WORK"' EXIT INT TERM

"$PARLEY" generate --parties 3 --issues 6 --values 10 --seed 1 \
  --output "$WORK/g3-6.json"
"$PARLEY" generate --parties 3 --issues 7 --values 10 --seed 1 \
  --output "$WORK/g3-7.json"
{
  printf 'built-in talks\t\n'
  printf 'gen p3 i6 (10^6)\t%s\n' "$WORK/g3-6.json"
  printf 'gen p3 i7 (10^7)\t%s\n' "$WORK/g3-7.json"
  for g in TravelA AMPOvsCity; do
    [ -d "$GENIUS/$g" ] && printf 'genius %s\t%s\n' "$g" "$GENIUS/$g"
  done
} >"$WORK/rows"

binaries="this=$PARLEY"
[ -n "${BENCH_BASE_BIN:-}" ] && binaries="$binaries base=$BENCH_BASE_BIN"

echo "parley --threads 1 vs 2 with competing CPU-bound processes, $(date -u +%Y-%m-%d\ %H:%M) UTC, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $REPEAT interleaved rounds, load average $LOAD_BEFORE"
echo
echo "milliseconds: median (25th-75th percentile)"
echo
for comp in $COMPETITORS; do
  k=0
  while [ "$k" -lt "$comp" ]; do
    sh -c 'while :; do :; done' &
    PIDS="$PIDS $!"
    k=$((k + 1))
  done
  say "$comp competitor(s) ..."
  echo "$comp competing process(es):"
  echo
  echo "| binary | scenario | t1 wall | t1 cpu | t1 analysis | t2 wall | t2 cpu | t2 analysis | t2/t1 wall | t2/t1 analysis |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"
  # shellcheck disable=SC2086
  "$PY" "$ROOT/bench/threads_bench.py" "$REPEAT" "$WORK/out.json" \
    "$WORK/rows" $binaries
  echo
  stop_competitors
done
echo "load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
