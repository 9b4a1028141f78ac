#!/bin/sh
# Runs the libFuzzer targets (fuzz/README.md).
#   sh fuzz/run.sh --short [TARGET...]     deterministic: -seed=1, fixed -runs
#                                          (the README test command runs it)
#   sh fuzz/run.sh --seconds S [TARGET...] a campaign of S seconds per target
# Needs the clang build: scripts/test-clang.sh makes build-clang with
# -DPARLEY_FUZZ=ON. New inputs go to a scratch corpus, never into the
# committed fuzz/corpus/; a crash, leak, hang or 2 GB of memory stops the
# target with its input saved in build-clang/fuzz-artifacts/TARGET/ and a
# non-zero exit. A hang is an input running over FUZZ_TIMEOUT seconds of
# wall time (default 5: on a machine shared by many jobs an input of 0.05 s
# of CPU can take a second of wall time; on a quiet machine use 1).
set -eu
cd "$(dirname "$0")/.."
BIN=${PARLEY_FUZZ_BIN:-build-clang/fuzz}
mode=$1
shift
case $mode in
--short) secs= ;;
--seconds) secs=$1; shift ;;
*) echo "usage: sh fuzz/run.sh --short | --seconds S [TARGET...]" >&2; exit 2 ;;
esac
targets=${*:-scenario expr genius geniusweb conflict gmcr tournament agent options struct divide}
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
for t in $targets; do
  # Short runs per target: enough to mutate every seed a few hundred
  # times, about 5-15 s each on one loaded core.
  case $t in
  struct|options|tournament) runs=300 ;;
  genius|geniusweb|conflict|gmcr) runs=1000 ;;
  *) runs=3000 ;;
  esac
  art=build-clang/fuzz-artifacts/$t
  mkdir -p "$art" "$scratch/$t"
  if [ -n "$secs" ]; then
    limits="-max_total_time=$secs -timeout=${FUZZ_TIMEOUT:-5}"
  else
    limits="-runs=$runs -seed=1 -timeout=10"
  fi
  dict=
  [ -f "fuzz/dict/$t.dict" ] && dict="-dict=fuzz/dict/$t.dict"
  # shellcheck disable=SC2086
  if ! "$BIN/fuzz-$t" $limits -rss_limit_mb=2048 $dict \
      -artifact_prefix="$art/" -print_final_stats=1 "$scratch/$t" \
      "fuzz/corpus/$t" "fuzz/regressions/$t" >"$art/log.txt" 2>&1; then
    echo "fuzz-$t FAILED (log and input in $art/)" >&2
    tail -n 30 "$art/log.txt" >&2
    status=1
    continue
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$art/log.txt")
  cov=$(grep -o 'cov: [0-9]*' "$art/log.txt" | tail -n 1 | cut -d' ' -f2)
  printf 'fuzz-%s: %s runs, %s edges, no crash\n' "$t" "$execs" "$cov"
done
exit $status
