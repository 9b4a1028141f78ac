#!/bin/sh
# Negotiation speed (docs in bench/README.md): builds bench-negotiate in
# Release and prints steps per second and negotiations per second for each
# built-in agent (self-play, SAOP, 1000 rounds) on generated domains of
# 10^3 ("small") and 10^6 ("large") outcomes with 2, 3 and 5 parties.
# --quick: fewer negotiations.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF >/dev/null
ninja -C build-bench bench-negotiate >/dev/null
echo "negotiation speed, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
exec build-bench/bench-negotiate "$@"
