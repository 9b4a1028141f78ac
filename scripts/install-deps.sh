#!/bin/sh
# Installs the Debian packages parley needs to build and test (as root, or
# through sudo). Does nothing when they are already there.
set -eu
PKGS="build-essential cmake ninja-build pkg-config libjansson-dev libcriterion-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing:$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
