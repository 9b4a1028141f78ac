#!/bin/sh
# Python over libparley.so (python/README.md): a Python agent's cost per
# round against the same rule in C (examples/agents/pacer.c built as a
# plug-in), and the analysis of ANAC's AMPOvsCity through Python against
# the CLI (when ../shared/scenarios/genius is there). Release build in
# build-bench/; prints a table.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
bench_start parley-python
release_build bench/python.sh
cc -O2 -std=c11 -fPIC -shared -I"$ROOT/include" "$ROOT/examples/agents/pacer.c" \
  -o "$WORK/pacer.so" -lm
GENIUS=${GENIUS:-$ROOT/../shared/scenarios/genius}
set --
[ -d "$GENIUS/AMPOvsCity" ] && set -- "$GENIUS/AMPOvsCity"
echo "parley from Python, $(date -u +%Y-%m-%d), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), load $LOAD_BEFORE"
echo "| what | C | Python | ratio |"
echo "|---|---|---|---|"
PARLEY_LIBRARY="$BUILD/libparley.so" PYTHONPATH="$ROOT/python" \
  "$PY" "$ROOT/bench/python_bench.py" "$WORK/pacer.so" "$BUILD/parley" "$@"
