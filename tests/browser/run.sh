#!/bin/sh
# tests/browser/run.sh PARLEY WORKDIR - the ctest `browser`: the workbench
# page end to end in Debian's headless chromium, driven by playwright-core
# (workbench.test.js says what it checks). scripts/install-browser-tests.sh
# installs node, chromium and the pinned playwright-core (package-lock.json);
# scripts/test.sh runs it. Screenshots and the page load time go to WORKDIR.
set -eu
PARLEY=$1
WORK=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
missing() {
  echo "browser: $1 is missing: run sh scripts/install-browser-tests.sh (as root)" >&2
  exit 1
}
command -v node >/dev/null 2>&1 || missing node
[ -x /usr/bin/chromium ] || missing /usr/bin/chromium
[ -f "$HERE/node_modules/playwright-core/package.json" ] || missing "playwright-core (tests/browser/node_modules)"
# The browser's profile and caches stay under WORKDIR.
HOME="$WORK/home"
export HOME
mkdir -p "$HOME"
exec timeout 600 node "$HERE/workbench.test.js" "$PARLEY" "$SRC" "$WORK"
