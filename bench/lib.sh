# bench/lib.sh - shared by the benchmark scripts (sourced, not run).
#
# bench_start PREFIX: notes the load average (LOAD_BEFORE), makes a work
# directory (WORK) removed on exit, and defines `say` (progress on stderr).
#
# release_build SCRIPT [TARGET]: configures and builds $ROOT into $BUILD
# (Release, no tests) quietly, logging to $WORK/build.log; retried once
# after a minute, since others may be mid-edit. Exits when both fail.

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

bench_start() {
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT INT TERM
}

say() { echo "$*" >&2; }
