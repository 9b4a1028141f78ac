#!/bin/sh
# An outside project against an installed parley: installs the build into a
# temporary prefix, copies examples/agents and examples/analyze.c out of the
# repository, and builds them there with CMake (find_package) and with
# pkg-config, against the shared and the static library. The plug-in must
# play in the installed `parley negotiate --agent-lib`; the programs must
# print what the installed `parley` computes.
# Usage: install.sh BUILD_DIR SOURCE_DIR; SAN_FLAGS: the sanitizer flags the
# build used (an instrumented libparley needs instrumented programs).
set -eu
build=$1
src=$2
san=${SAN_FLAGS:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "install.sh: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
parley=$prefix/bin/parley
"$parley" --version | grep -q '^parley ' || fail "installed parley does not run"
for f in include/parley.h include/parley_agent.h include/parley_tournament.h \
         lib/libparley.a lib/pkgconfig/parley.pc lib/pkgconfig/parley-static.pc \
         lib/cmake/parley/parleyConfig.cmake \
         share/parley/schema/analysis.schema.json \
         share/parley/schema/tournament.schema.json; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
[ -L "$prefix/lib/libparley.so" ] || fail "not installed: lib/libparley.so"

# What the installed program says about a small scenario with a non-empty
# zone (tests/data/cli_small.json: 2 agreements): the reference.
scenario=$src/tests/data/cli_small.json
want_zone=$("$parley" analyze --json "$scenario" | sed -n 's/^  "agreements": \([0-9]*\).*/\1/p')
[ -n "$want_zone" ] && [ "$want_zone" -gt 0 ] || fail "no agreements in parley analyze --json"

# The same program four ways; each prints "N agreement(s)" first.
check_program() { # name, binary, shared|static
  out=$("$2" "$scenario") || fail "$1: exit $?"
  got=$(echo "$out" | head -1 | sed 's/ agreement.*//')
  [ "$got" = "$want_zone" ] || fail "$1: zone $got, parley says $want_zone"
  if readelf -d "$2" | grep -q 'NEEDED.*libparley'; then kind=shared; else kind=static; fi
  [ "$kind" = "$3" ] || fail "$1: linked $kind, expected $3"
  echo "ok   $1 ($3)"
}

# ---- CMake: find_package(parley CONFIG) ----
mkdir -p "$tmp/prog"
cp "$src/examples/analyze.c" "$tmp/prog/"
cat >"$tmp/prog/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(outside LANGUAGES C)
find_package(parley CONFIG REQUIRED)
add_executable(analyze-shared analyze.c)
target_link_libraries(analyze-shared PRIVATE parley::parley)
add_executable(analyze-static analyze.c)
target_link_libraries(analyze-static PRIVATE parley::parley_static)
CM
CFLAGS="$san" LDFLAGS="$san" cmake -S "$tmp/prog" -B "$tmp/prog/build" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null || fail "cmake: find_package(parley) failed"
cmake --build "$tmp/prog/build" >/dev/null || fail "cmake build of the outside program failed"
check_program "cmake parley::parley" "$tmp/prog/build/analyze-shared" shared
check_program "cmake parley::parley_static" "$tmp/prog/build/analyze-static" static

# ---- pkg-config ----
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# shellcheck disable=SC2046
cc $san "$tmp/prog/analyze.c" $(pkg-config --cflags --libs parley) \
  -o "$tmp/prog/pc-shared" || fail "pkg-config parley: link failed"
# shellcheck disable=SC2046
cc $san "$tmp/prog/analyze.c" $(pkg-config --cflags --libs parley-static) \
  -o "$tmp/prog/pc-static" || fail "pkg-config parley-static: link failed"
# The shared one finds libparley.so through the library path, as a user
# would set it for a private prefix.
LD_LIBRARY_PATH="$prefix/lib" check_program "pkg-config parley" "$tmp/prog/pc-shared" shared
check_program "pkg-config parley-static" "$tmp/prog/pc-static" static

# ---- The plug-in example, copied anywhere ----
play() { # name, plug-in
  out=$("$parley" negotiate --agent-lib "$2" --agents pacer:e=0.5,boulware,conceder --json) ||
    fail "$1: parley negotiate --agent-lib failed"
  echo "$out" | grep -q '"pacer:e=0.5"' || fail "$1: the plug-in agent did not play"
  echo "ok   $1 plays in parley negotiate --agent-lib"
}
cp -r "$src/examples/agents" "$tmp/agent-cmake"
rm -rf "$tmp/agent-cmake/build"
CFLAGS="$san" LDFLAGS="$san" cmake -S "$tmp/agent-cmake" -B "$tmp/agent-cmake/build" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null || fail "cmake of examples/agents failed"
cmake --build "$tmp/agent-cmake/build" >/dev/null || fail "cmake build of examples/agents failed"
play "examples/agents with CMake" "$tmp/agent-cmake/build/pacer.so"

cp -r "$src/examples/agents" "$tmp/agent-make"
make -s -C "$tmp/agent-make" CFLAGS="-O2 $san" LDFLAGS="$san" >/dev/null ||
  fail "make of examples/agents failed"
play "examples/agents with make" "$tmp/agent-make/pacer.so"
(cd "$tmp/agent-make" && "$parley" agents --agent-lib pacer.so | grep -q '^pacer ') ||
  fail "a bare plug-in name is not found in the current folder"
# `parley serve` loads its module (lib/libparley-serve.so) at run time: the
# installed program must find it and print its URL.
"$parley" serve --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
  grep -q '^http://127.0.0.1:' "$tmp/serve.out" && break
  sleep 0.5
done
kill "$serve" 2>/dev/null || true
wait "$serve" || true
grep -q '^http://127.0.0.1:' "$tmp/serve.out" ||
  fail "installed parley serve did not start: $(cat "$tmp/serve.err")"
echo "ok   installed parley serve loads lib/libparley-serve.so"
echo "install: all passed"
