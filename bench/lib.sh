# bench/lib.sh - shared by the benchmark scripts (sourced, not run).
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
