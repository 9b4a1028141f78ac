#!/bin/sh
# README command 2: install packages, build with AddressSanitizer + UBSan,
# run every test with ctest.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
# Chromium for the one rendered-report test (large; a script of its own).
sh scripts/install-chromium.sh
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPARLEY_SANITIZE=ON >/dev/null
ninja -C build-test
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-test --output-on-failure -j2
# Tournaments under MPI (docs/tournament.md): Open MPI and a separate build
# without sanitizers, so it runs last and on its own.
sh scripts/test-mpi.sh
