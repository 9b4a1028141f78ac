#!/bin/sh
# README command 1: install packages, build (release), analyse the built-in
# talks scenario. Extra arguments go to `parley analyze`.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF >/dev/null
ninja -C build >/dev/null
exec build/parley analyze "$@"
