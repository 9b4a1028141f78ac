#!/bin/sh
# The Release half of the gcc check (scripts/test.sh runs it): compiles the
# library, the workbench server, the CLI and the rest of what
# scripts/run.sh builds, as it builds them
# (gcc, CMAKE_BUILD_TYPE=Release: -O3, with the project's -Werror), in
# build-release/. gcc's optimiser runs some warnings (-Wformat-truncation,
# -Wstringop-overflow, -Wmaybe-uninitialized) only at -O2 and above, so the
# Debug test build cannot see them; one of them once broke scripts/run.sh.
# Only the object files are made, nothing is linked: no libparley.so lands
# in build-release/ where the Python package looks for a library
# (python/parley/_lib.py). Exit 0 when everything compiled.
set -eu
cd "$(dirname "$0")/.."
B=build-release
CC=${CC:-gcc} cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPARLEY_TESTS=OFF >/dev/null
# Every object file of what scripts/run.sh builds (its `ninja` builds all
# but the benchmarks), by name, from ninja's own list of targets.
objs=$(ninja -C "$B" -t targets all | sed -n 's|^\([^:]*\.o\):.*|\1|p' |
  grep -v '/bench-')
[ -n "$objs" ] || {
  echo "check-release: ninja listed no object files in $B" >&2
  exit 1
}
# shellcheck disable=SC2086
ninja -C "$B" $objs
echo "check-release: $(echo "$objs" | wc -l) files compile with gcc -O3 -Werror"
