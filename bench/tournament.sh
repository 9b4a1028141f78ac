#!/bin/sh
# Tournament speed (bench/TOURNAMENT.md): times examples/tournament-anac.json
# (6 agents, no self-play, both role orders, the 11 two-party ANAC domains
# of ../shared/scenarios/genius except 10issues, 10 repetitions, 1000
# rounds: 3,300 negotiations) with 1 and 2 threads, and with 2 MPI ranks
# when Open MPI is installed; checks that the three runs wrote the same
# rows; prints where the time went, scenario by scenario.
#
#   sh bench/tournament.sh            the full benchmark
#   sh bench/tournament.sh --quick    1 repetition instead of 10
#   BENCH_REPEAT=5 sh bench/tournament.sh   best of 5 runs (default 3)
#   BENCH_BASE_BIN=/path/to/parley sh bench/tournament.sh   an older binary
#                                     beside, as the baseline of the same run
#   BENCH_MPI=0 sh bench/tournament.sh      without the MPI run
#
# Then the same for bench/tournament-genius.json (GENIUS's own agents, which
# rank every outcome, against boulware on four domains: 240 negotiations).
#
# Builds Release binaries in build-bench (and build-bench-mpi).
set -eu
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

if [ ! -d ../shared/scenarios/genius ]; then
  echo "bench/tournament.sh: ../shared/scenarios/genius is not here; nothing to run" >&2
  exit 0
fi

cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF >/dev/null
ninja -C build-bench parley-cli >/dev/null
mpi=""
if [ "${BENCH_MPI:-1}" != 0 ] && command -v mpicc >/dev/null 2>&1 &&
  command -v mpirun >/dev/null 2>&1; then
  cmake -S . -B build-bench-mpi -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPARLEY_TESTS=OFF -DPARLEY_MPI=ON >/dev/null
  ninja -C build-bench-mpi parley-cli >/dev/null
  mpi=build-bench-mpi/parley
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
config=examples/tournament-anac.json
if [ "$quick" -eq 1 ]; then
  # Same tournament, 1 repetition; paths made absolute for the copy.
  sed -e "s|\"domains/|\"$(pwd)/examples/domains/|" \
    -e 's/"repetitions": 10/"repetitions": 1/' "$config" >"$tmp/anac-quick.json"
  config="$tmp/anac-quick.json"
fi

now() { date +%s.%N; }

# How many cores are free: the same CPU loop alone and twice at once. On
# an idle 2-core machine both take the same time; when other work holds a
# core, two take twice as long and no program can gain from 2 threads.
spin() { awk 'BEGIN { for (i = 0; i < 20000000; i++) x += i; }'; }
t0=$(now); spin; t1=$(now); spin & spin & wait; t2=$(now)
free=$(echo "$t0 $t1 $t2" | awk '{printf "one loop %.2f s, two at once %.2f s", $2 - $1, $3 - $2}')

echo "tournament speed, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "free cores: $free"
echo "config: $config"
echo

# run NAME COMMAND...: times the whole command (loading, analyses,
# negotiations, writing), best of $REPEAT runs (the machine is shared: the
# fastest run is the one least disturbed), and keeps parley's own line
# about the negotiations of that run.
REPEAT=${BENCH_REPEAT:-3}
run() {
  name=$1
  shift
  best=""
  k=0
  while [ "$k" -lt "$REPEAT" ]; do
    k=$((k + 1))
    rm -rf "$tmp/$name"
    start=$(now)
    if ! "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
      echo "$name: failed" >&2
      cat "$tmp/$name.err" >&2
      return 1
    fi
    end=$(now)
    total=$(echo "$start $end" | awk '{printf "%.2f", $2 - $1}')
    if [ -z "$best" ] || [ "$(echo "$total $best" | awk '{print ($1 < $2)}')" = 1 ]; then
      best=$total
      grep "negotiations in" "$tmp/$name.err" | tail -1 >"$tmp/$name.line"
    fi
  done
  line=$(cat "$tmp/$name.line")
  n=$(echo "$line" | sed 's/^parley: \([0-9]*\) negotiations in \([0-9.]*\) s (\([0-9.]*\) per second.*/\1/')
  play=$(echo "$line" | sed 's/^parley: \([0-9]*\) negotiations in \([0-9.]*\) s (\([0-9.]*\) per second.*/\2/')
  rate=$(echo "$best $n" | awk '{printf "%.0f", $2 / $1}')
  printf '| %-22s | %6s | %8s s | %10s s | %10s |\n' "$name" "$n" "$best" "$play" "$rate"
  sed 's/,"wall_time":[^}]*}$/}/' "$tmp/$name/results.jsonl" >"$tmp/$name.rows"
}

echo "best of $REPEAT runs each:"
echo
echo "| run                    | negot. | whole run  | negotiations | per second |"
echo "|------------------------|-------:|-----------:|-------------:|-----------:|"
run "1 thread" build-bench/parley tournament "$config" --threads 1 --out "$tmp/1 thread"
run "2 threads" build-bench/parley tournament "$config" --threads 2 --out "$tmp/2 threads"
base=${BENCH_BASE_BIN:-}
if [ -n "$base" ]; then
  run "base, 1 thread" "$base" tournament "$config" --threads 1 --out "$tmp/base, 1 thread"
  run "base, 2 threads" "$base" tournament "$config" --threads 2 --out "$tmp/base, 2 threads"
fi
if [ -n "$mpi" ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  export OMPI_MCA_btl_vader_single_copy_mechanism=none
  run "2 MPI ranks" mpirun --allow-run-as-root --oversubscribe -np 2 \
    "$mpi" tournament "$config" --threads 1 --out "$tmp/2 MPI ranks"
fi
echo
echo "(whole run: the command from start to end, loading, analyses and"
echo "writing included; negotiations: the time spent playing them, as parley"
echo "reports it; per second: negotiations over the whole run)"
echo

same=yes
for f in "$tmp"/*.rows; do
  cmp -s "$f" "$tmp/1 thread.rows" || same=no
done
echo "rows identical in every run (wall times aside): $same"
echo

echo "where the time goes (1 thread: sum of the negotiations' wall times):"
awk -F'"scenario":"' 'NF > 1 {
    split($2, a, "\""); sc = a[1]
    w = $0; sub(/.*"wall_time":/, "", w); sub(/}.*/, "", w)
    t[sc] += w; n[sc]++; all += w
  }
  END {
    for (sc in t)
      printf "  %-16s %5d negotiations %8.3f s %8.3f ms each %5.1f%%\n", sc, n[sc], t[sc], 1000 * t[sc] / n[sc], 100 * t[sc] / all
  }' "$tmp/1 thread/results.jsonl" | sort -k4 -n -r

echo "GENIUS's agents (bench/tournament-genius.json), best of $REPEAT runs each:"
echo
echo "| run                    | negot. | whole run  | negotiations | per second |"
echo "|------------------------|-------:|-----------:|-------------:|-----------:|"
genius=bench/tournament-genius.json
rm -f "$tmp"/*.rows
for threads in 1 2; do # (run sets $name)
  label="$threads thread$([ "$threads" = 1 ] || echo s)"
  run "genius, $label" build-bench/parley tournament "$genius" \
    --threads "$threads" --out "$tmp/genius, $label"
  if [ -n "$base" ]; then
    run "genius base, $label" "$base" tournament "$genius" \
      --threads "$threads" --out "$tmp/genius base, $label"
  fi
done
gsame=yes
for f in "$tmp"/*.rows; do
  cmp -s "$f" "$tmp/genius, 1 thread.rows" || gsame=no
done
echo
echo "rows identical in every run (wall times aside): $gsame"
[ "$same" = yes ] && [ "$gsame" = yes ]
