#!/bin/sh
# Installs the Debian packages parley needs to build and test (as root, or
# through sudo). Does nothing when they are already there.
set -eu
PKGS="locales build-essential cmake ninja-build pkg-config libjansson-dev libexpat1-dev libcriterion-dev libxml2-utils python3-numpy python3-pytest clang libclang-rt-14-dev clang-tools clang-tidy cppcheck libmicrohttpd-dev libcurl4-openssl-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# A locale that writes numbers with a decimal comma, so the tests can check
# that parley reads and writes '.' whatever the locale says.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  $SUDO localedef -i de_DE -f UTF-8 de_DE.UTF-8 || echo "note: could not build the de_DE.UTF-8 locale; one locale test will run only half" >&2
fi
