#!/bin/sh
# Builds the library and the CLI with clang as well as gcc (-Werror in both),
# so that code only one compiler accepts is caught (issue 20, probe 6).
# scripts/test.sh calls it; it needs clang (scripts/install-deps.sh).
set -eu
cd "$(dirname "$0")/.."
log=build-clang/build.log
mkdir -p build-clang
if ! { CC=clang cmake -S . -B build-clang -G Ninja -DCMAKE_BUILD_TYPE=Debug \
         -DPARLEY_TESTS=OFF &&
       ninja -C build-clang parley parley-cli example-analyze; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "clang build failed (full log: $log)" >&2
  exit 1
fi
