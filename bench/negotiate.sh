#!/bin/sh
# Negotiation speed (docs in bench/README.md): builds bench-negotiate in
# Release and prints steps per second and negotiations per second for each
# built-in agent (self-play, SAOP, 1000 rounds) on generated domains of
# 10^3 ("small") and 10^6 ("large") outcomes with 2, 3 and 5 parties; then,
# when ../shared/scenarios/genius is there, on every GENIUS folder (10issues:
# 10^10 outcomes included). --quick: fewer negotiations.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF >/dev/null
ninja -C build-bench bench-negotiate >/dev/null
echo "negotiation speed, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
build-bench/bench-negotiate "$@"
genius=../shared/scenarios/genius
if [ -d "$genius" ]; then
  echo
  echo "GENIUS folders (start: the agents' set-up and one round; cpu: CPU time of the process)"
  set -- "$@" --genius
  for d in "$genius"/*/; do
    set -- "$@" "${d%/}"
  done
  build-bench/bench-negotiate "$@"
fi
