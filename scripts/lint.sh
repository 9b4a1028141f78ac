#!/bin/sh
# Static analysis: clang-tidy with the committed .clang-tidy on every C file
# of src/ and cli/, using the compile commands of the clang build (made
# here if missing), then cppcheck. Exit 0 only when clean. Needs clang-tidy
# and cppcheck (scripts/install-deps.sh); without cppcheck it says so.
set -eu
cd "$(dirname "$0")/.."
B=build-lint
# cmake runs every time, so that files added since the last run are in
# compile_commands.json; the build only the first time.
first=1
[ -f "$B/compile_commands.json" ] && first=0
CC=clang cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DPARLEY_TESTS=OFF >/dev/null
[ "$first" -eq 0 ] || ninja -C "$B" >/dev/null # the generated builtin_data.c
out=$B/lint.txt
find src cli -name '*.c' | sort |
  xargs -P "${LINT_JOBS:-2}" -n 4 clang-tidy -p "$B" --quiet >"$out" 2>/dev/null || true
if grep -q 'warning:\|error:' "$out"; then
  grep -A3 'warning:\|error:' "$out"
  echo "lint: $(grep -c 'warning:\|error:' "$out") findings (all in $out)" >&2
  exit 1
fi
# cppcheck finds a few things clang-tidy does not (printf argument types);
# its false positives are suppressed where they occur, each with the
# reason (grep cppcheck-suppress src cli). jansson's iteration macros are
# spelled out for it, since it does not read system headers.
checkers="clang-tidy and cppcheck"
if ! command -v cppcheck >/dev/null; then
  checkers="clang-tidy only: cppcheck is not installed (scripts/install-deps.sh)"
else
  cppcheck -q --std=c11 --enable=warning,portability --inline-suppr \
    -j "${LINT_JOBS:-2}" -I include -I src -D__GNUC__ \
    -D'json_object_foreach(o,k,v)=for(k=0,v=0;k;)' \
    -D'json_array_foreach(a,i,v)=for(i=0,v=0;v;)' \
    --suppress=missingIncludeSystem --error-exitcode=1 src cli \
    2>"$B/cppcheck.txt" || {
    cat "$B/cppcheck.txt"
    echo "lint: cppcheck findings (above, also in $B/cppcheck.txt)" >&2
    exit 1
  }
fi
echo "lint: clean ($(find src cli -name '*.c' | wc -l) files, $checkers)"
