#!/bin/sh
# Installs Debian's chromium (as root, or through sudo) for the one test
# that renders a report and checks the screenshot (tests/report_render.sh).
# It is large (a few hundred MB), so it has a script of its own; does
# nothing when chromium is already there.
set -eu
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: chromium (for the rendered report test)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
