#!/bin/sh
# README command 1: install packages, build (release), analyse the built-in
# talks scenario. Extra arguments go to `parley analyze`. One line per
# stage on stderr while it works (the build takes about half a minute the
# first time); the analysis itself goes to stdout.
set -eu
cd "$(dirname "$0")/.."
log=$(mktemp /tmp/parley-run-XXXXXX)
trap 'rm -f "$log"' EXIT
step() {
  echo "run.sh: $1" >&2
  shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "run.sh: failed: $*" >&2; exit 1; }
}
step "installing packages (scripts/install-deps.sh)" sh scripts/install-deps.sh
step "configuring build/ (Release)" cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF
step "building build/ (the library and the parley program)" ninja -C build
echo "run.sh: running build/parley analyze${*:+ $*}" >&2
exec build/parley analyze "$@"
