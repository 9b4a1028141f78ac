#!/bin/sh
# Installs what the browser test of the workbench needs (tests/browser/):
# Debian's chromium (scripts/install-chromium.sh), Node.js and npm from
# Debian when `node` is missing, and playwright-core at the version pinned
# in tests/browser/package-lock.json (`npm ci`, from the npm registry). Run as
# root or through sudo; scripts/test.sh runs it. Does nothing that is
# already done.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-chromium.sh
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing: nodejs npm (for the browser test of the workbench)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# The version the lock file pins; reinstall only when node_modules has another.
want=$(sed -n '/"node_modules\/playwright-core"/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' tests/browser/package-lock.json)
have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' tests/browser/node_modules/playwright-core/package.json 2>/dev/null | head -n 1)
if [ "$want" != "$have" ]; then
  echo "installing: playwright-core $want (npm ci in tests/browser)" >&2
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
