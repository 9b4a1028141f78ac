#!/bin/sh
# bench/workbench.sh [RUNS] - how fast the workbench page loads (target:
# under 300 ms from navigation start to the talks scenario shown), in
# Debian's headless chromium against a Release `parley serve`, with the
# baseline in the same run: one small static file from the same server.
# Needs what the browser test needs (sh scripts/install-browser-tests.sh).
# Prints a table and the load average.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
RUNS=${1:-20}
bench_start workbench-bench
release_build bench/workbench.sh parley-cli
"$BUILD/parley" serve --port 0 >"$WORK/url" 2>"$WORK/serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$WORK"' EXIT
i=0
while [ ! -s "$WORK/url" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(head -n 1 "$WORK/url")
[ -n "$url" ] || { cat "$WORK/serve.log" >&2; echo "workbench.sh: parley serve printed no URL" >&2; exit 1; }
say "loading the page $RUNS times"
node "$ROOT/bench/workbench_load.js" "$url" "$RUNS"
echo "load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
