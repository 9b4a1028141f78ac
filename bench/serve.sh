#!/bin/sh
# The workbench server under load (bench/README.md): builds parley and
# bench-serve in Release, starts `parley serve --port 0` on loopback, and
# prints p50/p99/max latency of package evaluation (POST /api/evaluate of
# the talks' US proposal) from a few concurrent keep-alive clients, of the
# what-if re-analysis (POST /api/analyze with an edited scenario, compiled
# and analysed anew each time), of the page, and the in-process baseline.
# Fails if any request gets an unexpected answer.
# usage: sh bench/serve.sh [CLIENTS [REQUESTS]]   (default 4 clients, 4000)
set -eu
cd "$(dirname "$0")/.."
clients=${1:-4}
requests=${2:-4000}
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF >/dev/null
ninja -C build-bench parley-cli bench-serve >/dev/null
work=$(mktemp -d)
build-bench/parley serve --port 0 >"$work/out" 2>"$work/err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
i=0
while [ ! -s "$work/out" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(head -n 1 "$work/out")
base=${url%%/\?token=*}
token=${url##*token=}
echo "parley serve under load, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
build-bench/bench-serve "$base" "$token" "$clients" "$requests"
