#!/bin/sh
# Static analysis: clang-tidy with the committed .clang-tidy on every C file
# of src/ and cli/, using the compile commands of the clang build (made
# here if missing). Exit 0 only when clean. Needs clang-tidy
# (scripts/install-deps.sh).
set -eu
cd "$(dirname "$0")/.."
B=build-lint
if [ ! -f "$B/compile_commands.json" ]; then
  CC=clang cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DPARLEY_TESTS=OFF >/dev/null
  ninja -C "$B" >/dev/null # the generated builtin_data.c
fi
out=$B/lint.txt
find src cli -name '*.c' | sort |
  xargs -P "${LINT_JOBS:-2}" -n 4 clang-tidy -p "$B" --quiet >"$out" 2>/dev/null || true
if grep -q 'warning:\|error:' "$out"; then
  grep -A3 'warning:\|error:' "$out"
  echo "lint: $(grep -c 'warning:\|error:' "$out") findings (all in $out)" >&2
  exit 1
fi
echo "lint: clean ($(find src cli -name '*.c' | wc -l) files)"
