#!/bin/sh
# The clang half of the test suite (scripts/test.sh calls it; clang and
# libFuzzer come from scripts/install-deps.sh):
# - builds the library, the CLI and the fuzz targets with clang, -Werror as
#   with gcc, so that code only one compiler accepts is caught (issue 20);
# - runs a short deterministic fuzz of every target (fuzz/run.sh --short).
set -eu
cd "$(dirname "$0")/.."
mkdir -p build-clang
log=build-clang/build.log
if ! { CC=clang cmake -S . -B build-clang -G Ninja \
         -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARLEY_SANITIZE=ON \
         -DPARLEY_FUZZ=ON -DPARLEY_TESTS=OFF &&
       ninja -C build-clang; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "clang build failed (full log: $log)" >&2
  exit 1
fi
sh fuzz/run.sh --short
