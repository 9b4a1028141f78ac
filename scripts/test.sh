#!/bin/sh
# README command 2: install packages (scripts/install-deps.sh; the MPI part
# installs Open MPI too), build build-test/ with AddressSanitizer + UBSan,
# run every test with ctest, then the MPI tests (scripts/test-mpi.sh, which
# builds build-mpi/ without sanitizers). One line per stage; the builds are
# quiet unless --verbose. The last line is the verdict of the whole run:
#   test.sh: PASS - ctest 18/18 passed, mpi 5/5 passed (312 s)
# and the exit status is 0 only when everything passed.
set -u
cd "$(dirname "$0")/.."
verbose=0
for a in "$@"; do
  case $a in
  --verbose | -v) verbose=1 ;;
  *) echo "usage: sh scripts/test.sh [--verbose]" >&2; exit 2 ;;
  esac
done
start=$(date +%s)
log=$(mktemp /tmp/parley-test-XXXXXX)
trap 'rm -f "$log"' EXIT

# Runs a stage quietly (its output kept for a failure) or, with --verbose,
# as it goes.
stage() {
  echo "test.sh: $1" >&2
  shift
  if [ "$verbose" -eq 1 ]; then
    "$@"
  elif ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    return 1
  fi
}
verdict() {
  echo "test.sh: $1 ($(($(date +%s) - start)) s)"
  exit "$2"
}

stage "installing packages (scripts/install-deps.sh)" sh scripts/install-deps.sh ||
  verdict "FAIL - could not install the packages" 1
stage "configuring build-test/ (Debug, ASan + UBSan)" \
  cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPARLEY_SANITIZE=ON ||
  verdict "FAIL - cmake could not configure build-test/" 1
stage "installing Chromium, Node.js and playwright-core for the browser tests (scripts/install-browser-tests.sh)" \
  sh scripts/install-browser-tests.sh ||
  verdict "FAIL - could not install Chromium, Node.js or playwright-core" 1
stage "building build-test/" ninja -C build-test ||
  verdict "FAIL - build-test/ did not build" 1

# gcc -O3 raises warnings (-Wformat-truncation, ...) that the Debug build
# cannot: compile what scripts/run.sh builds as it builds it (objects
# only, about 20 s on 2 cores).
stage "compiling the library and the CLI with gcc -O3 -Werror as scripts/run.sh does (scripts/check-release.sh)" \
  sh scripts/check-release.sh ||
  verdict "FAIL - the gcc Release (-O3) compile failed" 1

stage "building build-clang/ with clang and a short deterministic fuzz (scripts/test-clang.sh)" \
  sh scripts/test-clang.sh ||
  verdict "FAIL - the clang build or the short fuzz failed" 1

echo "test.sh: running ctest (2 jobs)" >&2
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
if [ "$verbose" -eq 1 ]; then
  ctest --test-dir build-test --output-on-failure -j2 | tee "$log"
else
  ctest --test-dir build-test --output-on-failure -j2 >"$log" 2>&1
fi
ctest_summary=$(grep -E "tests passed, [0-9]+ tests failed out of" "$log" | tail -n 1)
total=$(echo "$ctest_summary" | sed -n 's/.* out of \([0-9]*\).*/\1/p')
bad=$(echo "$ctest_summary" | sed -n 's/.*, \([0-9]*\) tests failed.*/\1/p')
if [ -z "$total" ]; then
  [ "$verbose" -eq 1 ] || cat "$log" >&2
  verdict "FAIL - ctest did not run" 1
fi
if [ "$bad" -ne 0 ] && [ "$verbose" -eq 0 ]; then
  # ctest's report without the lines of the tests that passed
  grep -v -E "^ *Start +[0-9]+:|Test +#[0-9]+: .* Passed" "$log" >&2
fi
ctest_part="ctest $((total - bad))/$total passed"

# Tournaments under MPI (docs/tournament.md): Open MPI and a separate build
# without sanitizers, so it runs last and on its own.
echo "test.sh: MPI tests (scripts/test-mpi.sh: Open MPI, build-mpi/)" >&2
if [ "$verbose" -eq 1 ]; then
  sh scripts/test-mpi.sh 2>&1 | tee "$log"
else
  sh scripts/test-mpi.sh >"$log" 2>&1
fi
mpi_line=$(grep -E "^mpi: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
mpi_pass=$(echo "$mpi_line" | sed -n 's/^mpi: \([0-9]*\) passed.*/\1/p')
mpi_fail=$(echo "$mpi_line" | sed -n 's/.*passed, \([0-9]*\) failed.*/\1/p')
if [ -z "$mpi_pass" ]; then
  [ "$verbose" -eq 1 ] || cat "$log" >&2
  mpi_part="mpi did not run"
  mpi_fail=1
else
  [ "$mpi_fail" -eq 0 ] || [ "$verbose" -eq 1 ] || grep FAIL -A5 "$log" >&2
  mpi_part="mpi $mpi_pass/$((mpi_pass + mpi_fail)) passed"
fi

if [ "$bad" -eq 0 ] && [ "$mpi_fail" -eq 0 ]; then
  verdict "PASS - $ctest_part, $mpi_part" 0
fi
verdict "FAIL - $ctest_part, $mpi_part" 1
