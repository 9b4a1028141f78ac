#!/bin/sh
# MPI tests of `parley tournament` (docs/tournament.md, "Across machines"):
# installs Open MPI if missing, builds parley with -DPARLEY_MPI=ON in
# build-mpi (RelWithDebInfo, no sanitizers: LeakSanitizer would report
# Open MPI's own allocations), then checks that a tournament run under
# mpirun -np 2 and -np 4 writes exactly the rows and the summary of the
# single-process run, and that a run cut short resumes under MPI.
# scripts/test.sh calls it last; it takes about a minute.
set -eu
cd "$(dirname "$0")/.."

PKGS="libopenmpi-dev openmpi-bin"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

cmake -S . -B build-mpi -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPARLEY_MPI=ON -DPARLEY_TESTS=OFF >/dev/null
ninja -C build-mpi parley-cli >/dev/null
PARLEY=build-mpi/parley

if ! "$PARLEY" tournament --summary /nonexistent 2>&1 | grep -q "not a tournament"; then
  echo "test-mpi: 'parley tournament' is not wired into cli/main.c yet; skipped" >&2
  exit 0
fi

# mpirun as root in a container: allowed explicitly; the shared-memory
# transport's single-copy mechanism (CMA) is often not permitted there.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
MPIRUN="mpirun --allow-run-as-root --oversubscribe"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
passes=0

# The rows without their wall times, the one field that may differ.
rows() { sed 's/,"wall_time":[^}]*}$/}/' "$1/results.jsonl"; }

same() { # NAME DIR REFERENCE-DIR
  if rows "$2" | cmp -s - "$3.rows" && cmp -s "$2/summary.json" "$3/summary.json"; then
    echo "ok   $1"
    passes=$((passes + 1))
  else
    echo "FAIL $1: rows or summary differ from the single-process run" >&2
    failures=$((failures + 1))
  fi
}

for config in examples/tournament-small.json tests/data/tournament/kill.json; do
  name=$(basename "$config" .json)
  ref="$tmp/$name-1"
  "$PARLEY" tournament "$config" --threads 2 --out "$ref" >/dev/null 2>"$tmp/err" ||
    { cat "$tmp/err" >&2; exit 1; }
  rows "$ref" >"$ref.rows"
  for np in 2 4; do
    out="$tmp/$name-np$np"
    if $MPIRUN -np $np "$PARLEY" tournament "$config" --threads 1 --out "$out" \
        >"$tmp/out" 2>"$tmp/err"; then
      same "$name, mpirun -np $np" "$out" "$ref"
    else
      echo "FAIL $name, mpirun -np $np:" >&2
      cat "$tmp/err" >&2
      failures=$((failures + 1))
    fi
  done
done

# Resume under MPI: keep the first half of the rows and half a row, as a
# run killed while writing leaves them.
ref="$tmp/kill-1"
cut="$tmp/kill-cut"
cp -r "$tmp/kill-np2" "$cut"
half=$(($(wc -l <"$cut/results.jsonl") / 2))
head -n "$half" "$tmp/kill-np2/results.jsonl" >"$cut/results.jsonl"
printf '{"index":%s,"scen' "$half" >>"$cut/results.jsonl"
if $MPIRUN -np 2 "$PARLEY" tournament --resume "$cut" --threads 1 \
    >"$tmp/out" 2>"$tmp/err" && grep -q "dropped 1 incomplete line" "$tmp/err"; then
  same "kill, resumed under mpirun -np 2" "$cut" "$ref"
else
  echo "FAIL resume under mpirun -np 2:" >&2
  cat "$tmp/err" >&2
  failures=$((failures + 1))
fi

echo "mpi: $passes passed, $failures failed"
[ "$failures" -eq 0 ] || exit 1
