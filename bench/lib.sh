# bench/lib.sh - shared by the benchmark scripts (sourced, not run).
#
# Sets BUILD (build-bench/, one Release build for all scripts), PY,
# TIMEOUT (BENCH_TIMEOUT, default 120 s per run) and THREADS
# (BENCH_THREADS, default "1 2"), unless the caller set them. The caller
# sets ROOT first.
#
# bench_start PREFIX: notes the load average (LOAD_BEFORE), makes a work
# directory (WORK) removed on exit, and defines `say` (progress on stderr).
#
# genius_names: the folders of $GENIUS_SETS ("name:1" runs with --quick,
# "name:0" does not) to run under $GENIUS, one per line; missing ones are
# reported and skipped.
#
# genius_size DIR: "PARTIES OUTCOMES" of a GENIUS folder, from `parley
# validate` ("? ?" when it fails).
#
# base_build REV [TARGET]: builds TARGET (default `parley`) of commit REV
# (Release) from `git archive` in $WORK/base and sets BASEBIN to
# $WORK/base/build/TARGET; BASEBIN is empty when REV is "none" or the
# build fails (said on stderr).
#
# gen_r0 P I FILE: writes to FILE `$PARLEY generate --parties P --issues
# I --values 10 --seed 1` with every reservation value set to 0 (the zone
# is every outcome), by $PY.
#
# release_build SCRIPT [TARGET]: configures and builds $ROOT into $BUILD
# (Release, no tests) quietly, logging to $WORK/build.log; retried once
# after a minute, since others may be mid-edit. Exits when both fail.

: "${BUILD:=$ROOT/build-bench}" "${PY:=/usr/bin/python3}"
: "${TIMEOUT:=${BENCH_TIMEOUT:-120}}" "${THREADS:=${BENCH_THREADS:-1 2}}"

release_build() {
  _script=$1
  _target=${2:-}
  _attempt() {
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPARLEY_TESTS=OFF >"$WORK/build.log" 2>&1 &&
      ninja -C "$BUILD" $_target >>"$WORK/build.log" 2>&1
  }
  echo "building parley (Release) in $BUILD ..." >&2
  if ! _attempt; then
    echo "build failed; retrying in 60 s (someone may be editing)" >&2
    sleep 60
    if ! _attempt; then
      tail -n 30 "$WORK/build.log" >&2
      echo "$_script: build failed" >&2
      exit 1
    fi
  fi
}

base_build() {
  BASEBIN=
  [ "$1" = none ] && return 0
  say "building the baseline $1 ..."
  mkdir -p "$WORK/base"
  if git -C "$ROOT" archive "$1" | tar -x -C "$WORK/base" &&
    cmake -S "$WORK/base" -B "$WORK/base/build" -G Ninja \
      -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF >"$WORK/base.log" 2>&1 &&
    ninja -C "$WORK/base/build" "${2:-parley}" >>"$WORK/base.log" 2>&1; then
    BASEBIN="$WORK/base/build/${2:-parley}"
  else
    say "baseline build failed: base column empty"
  fi
}

bench_start() {
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT INT TERM
}

say() { echo "$*" >&2; }

genius_names() {
  [ -d "$GENIUS" ] || return 0
  for _entry in $GENIUS_SETS; do
    _name=${_entry%%:*}
    [ "$QUICK" -eq 1 ] && [ "${_entry#*:}" -eq 0 ] && continue
    if [ -d "$GENIUS/$_name" ]; then
      echo "$_name"
    else
      say "genius $_name: not found, skipped"
    fi
  done
}

genius_size() {
  # "DIR: valid: I issues, P parties, R ratifiers, N outcomes"
  _info=$("$PARLEY" validate "$1" 2>&1) || _info=""
  _np=$(printf '%s\n' "$_info" | sed -n 's/.* \([0-9][0-9]*\) parties.*/\1/p')
  _no=$(printf '%s\n' "$_info" | sed -n 's/.* \([0-9][0-9]*\) outcomes.*/\1/p')
  echo "${_np:-?} ${_no:-?}"
}

gen_r0() {
  "$PARLEY" generate --parties "$1" --issues "$2" --values 10 --seed 1 \
    --output "$3.tmp"
  "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["parties"]:
    p["reservation"] = 0
json.dump(d, open(sys.argv[2], "w"))' "$3.tmp" "$3"
}
