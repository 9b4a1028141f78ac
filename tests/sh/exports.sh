#!/bin/sh
# The exported symbols of libparley.so are exactly the functions declared in
# the public headers: nothing internal leaks (hidden visibility), nothing
# public is missing. Usage: exports.sh LIBPARLEY.so INCLUDE_DIR
set -eu
lib=$1
inc=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Defined dynamic symbols (functions T, data D/B/R), names only.
nm -D --defined-only "$lib" | awk '{print $3}' | sort -u >"$tmp/exported"
# Every identifier followed by '(' in the preprocessed headers (comments
# gone): pl_name( ... ).
for h in "$inc"/*.h; do ${CC:-cc} -E -P -I"$inc" -x c "$h"; done |
  grep -o '\bpl_[a-z0-9_]*[[:space:]]*([^*]' | sed 's/[[:space:]]*(.*//' | sort -u >"$tmp/declared"
status=0
if [ ! -s "$tmp/declared" ] || [ "$(wc -l <"$tmp/declared")" -lt 50 ]; then
  echo "exports.sh: found too few declarations in $inc" >&2
  exit 1
fi
leaked=$(comm -23 "$tmp/exported" "$tmp/declared")
missing=$(comm -13 "$tmp/exported" "$tmp/declared")
if [ -n "$leaked" ]; then
  echo "exported but not declared in $inc:" >&2
  echo "$leaked" >&2
  status=1
fi
if [ -n "$missing" ]; then
  echo "declared in $inc but not exported (not defined?):" >&2
  echo "$missing" >&2
  status=1
fi
# The SONAME carries the major version, so programs built against 0.x
# refuse a future incompatible 1.x.
if ! readelf -d "$lib" | grep -q 'SONAME.*\[libparley\.so\.[0-9]*\]'; then
  echo "no SONAME libparley.so.N in $lib" >&2
  status=1
fi
[ $status -eq 0 ] && echo "$(wc -l <"$tmp/exported") symbols, all public"
exit $status
