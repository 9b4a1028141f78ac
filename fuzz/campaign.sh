#!/bin/sh
# A fuzzing campaign (fuzz/README.md, "The campaign"): each target in turn,
# for its minutes, with two workers (as libFuzzer's -jobs=2), at nice 19
# (the machine is shared), -rss_limit_mb=2048, its dictionary, starting
# from the seeds and the regressions.
#   sh fuzz/campaign.sh TARGET:MINUTES...      e.g. expr:20 genius:10
# Environment: FUZZ_JOBS (2), FUZZ_SLOW (1 s: an input over this is
# checked as a possible hang), FUZZ_BACKSTOP (60 s: libFuzzer's own
# -timeout), CAMPAIGN (the output folder, build-clang/campaign).
#
# Hangs are found without libFuzzer's -timeout=1. Its timeout handler runs
# inside a SIGALRM handler and allocates (it writes the input out); on a
# loaded machine, where an input of 0.05 s of CPU can take a second of wall
# time at nice 19, false timeouts come every few minutes, and one that
# interrupts the target inside malloc deadlocks the worker in the
# allocator's lock (the tournament target did, after 8 minutes, in the
# first campaign). So libFuzzer reports slow inputs (-report_slow_units,
# written after the input ran, outside any signal handler), its -timeout is
# only a backstop for an input that never ends, and every worker runs under
# timeout(1), so that a stuck worker is killed and restarted instead of
# holding the campaign.
#
# Per target it leaves in CAMPAIGN/TARGET/: corpus/ (what the campaign
# found), artifacts/ (crash-*, leak-*, oom-*, and the slow-unit-* and
# timeout-* inputs that are hangs; slow inputs that run under FUZZ_SLOW
# seconds alone are moved to artifacts/slow-under-load/), fuzz-W-R.log
# (libFuzzer's log of worker W's run R), load.txt (the load average once a
# minute), stuck.txt (workers the watchdog killed) and one line in
# CAMPAIGN/table.txt:
#   target minutes executions edges crashes hangs slow-under-load
#   load(min/mean/max) stuck
# Edges are those of the final corpus, measured by one extra pass over it
# (-runs=0), so the jobs' separate counts need no adding up.
# Needs the clang build (scripts/test-clang.sh). The target's program is
# copied before it starts, so the tree may be rebuilt meanwhile.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
BIN=${PARLEY_FUZZ_BIN:-$root/build-clang/fuzz}
OUT=${CAMPAIGN:-$root/build-clang/campaign}
jobs=${FUZZ_JOBS:-2}
[ $# -gt 0 ] || {
  echo "usage: sh fuzz/campaign.sh TARGET:MINUTES..." >&2
  exit 2
}
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p "$OUT"

# A worker, as one of -jobs=2 -workers=2 would be. libFuzzer's own -jobs
# ends a job for good at its first finding, so each worker is restarted,
# with the time left, until the target's minutes are up. The workers share
# corpus/ (libFuzzer reloads it every second), as -jobs would.
run_worker() {
  r=0
  while [ $((end - $(date +%s))) -gt 15 ]; do
    left=$((end - $(date +%s)))
    rc=0
    # shellcheck disable=SC2086
    (cd "$dir" && timeout -s KILL $((left + ${FUZZ_BACKSTOP:-60} + 60)) \
      nice -n 19 "$dir/bin/fuzz-$t" -max_total_time=$left \
      -timeout="${FUZZ_BACKSTOP:-60}" -report_slow_units="${FUZZ_SLOW:-1}" \
      -rss_limit_mb=2048 $dict \
      -artifact_prefix="$dir/artifacts/" -print_final_stats=1 \
      "$dir/corpus" "$root/fuzz/corpus/$t" "$root/fuzz/regressions/$t" \
      >"$dir/fuzz-$1-$r.log" 2>&1) || rc=$?
    [ "$rc" -ne 137 ] || echo "worker $1 run $r killed after $left s" >>"$dir/stuck.txt"
    r=$((r + 1))
  done
}

# Whether a slow input is a hang: run alone, at normal priority, does it
# take over FUZZ_SLOW seconds? (libFuzzer prints "Executed FILE in N ms".)
is_hang() {
  ms=$(cd "$dir" && timeout -s KILL 300 "$dir/bin/fuzz-$t" -timeout=120 \
    -rss_limit_mb=2048 "$1" 2>&1 |
    sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p')
  [ "${ms:-99999}" -ge $((${FUZZ_SLOW:-1} * 1000)) ]
}

for arg in "$@"; do
  t=${arg%%:*}
  min=${arg#*:}
  dir=$OUT/$t
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/bin"
  cp "$BIN/fuzz-$t" "$dir/bin/"
  dict=
  [ -f "fuzz/dict/$t.dict" ] && dict="-dict=$root/fuzz/dict/$t.dict"
  : >"$dir/load.txt"
  : >"$dir/stuck.txt"
  (while :; do
    cut -d' ' -f1 /proc/loadavg >>"$dir/load.txt"
    sleep 60
  done) &
  sampler=$!
  start=$(date +%s)
  end=$((start + min * 60))
  workers=
  for w in $(seq 1 "$jobs"); do
    run_worker "$w" &
    workers="$workers $!"
  done
  for p in $workers; do
    wait "$p" || true
  done
  kill "$sampler" 2>/dev/null || true
  wall=$((($(date +%s) - start + 30) / 60))
  execs=$(cat "$dir"/fuzz-*-*.log 2>/dev/null |
    sed -n 's/^stat::number_of_executed_units: *//p' |
    awk '{s += $1} END {print s + 0}')
  cov=$(cd "$dir" && nice -n 19 "$dir/bin/fuzz-$t" -runs=0 -timeout=30 \
    -rss_limit_mb=2048 "$dir/corpus" "$root/fuzz/corpus/$t" \
    "$root/fuzz/regressions/$t" 2>&1 | grep -o 'cov: [0-9]*' | tail -n 1 |
    cut -d' ' -f2)
  found=$(find "$dir/artifacts" -maxdepth 1 -type f ! -name 'timeout-*' \
    ! -name 'slow-unit-*' | wc -l)
  hangs=0 slow=0
  mkdir -p "$dir/artifacts/slow-under-load"
  for f in "$dir"/artifacts/timeout-* "$dir"/artifacts/slow-unit-*; do
    [ -f "$f" ] || continue
    if is_hang "$f"; then
      hangs=$((hangs + 1))
    else
      slow=$((slow + 1))
      mv "$f" "$dir/artifacts/slow-under-load/"
    fi
  done
  load=$(awk 'NR == 1 || $1 < lo {lo = $1} $1 > hi {hi = $1} {s += $1}
    END {if (NR) printf "%.1f/%.1f/%.1f", lo, s / NR, hi}' "$dir/load.txt")
  stuck=$(cat "$dir/stuck.txt" 2>/dev/null | wc -l)
  line="$t $wall $execs ${cov:-?} $found $hangs $slow $load $stuck"
  echo "$line" >>"$OUT/table.txt"
  echo "campaign: $line"
done
