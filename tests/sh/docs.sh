#!/bin/sh
# docs.sh PARLEY SOURCE_DIR: runs every command that README.md and docs/*.md
# show, as a newcomer would type it in a fresh clone, and fails if one exits
# non-zero. Each file's commands run in order in one scratch folder that
# holds a link to every top-level entry of the source tree (so relative
# paths work as in a clone, and what the commands write is thrown away),
# with the parley under test first in PATH.
#
# What counts as a command: every line of a ```sh block, and in a plain
# ``` block every line that starts with `parley COMMAND` or `parley --...`
# (lines starting with "$ " are transcripts: shown with their output, not
# run). A trailing "   # comment" is part of the shell line and harmless.
# The commands of one block run as one script, stopping at the first that
# fails.
# A block is skipped only when the line before its fence says why:
#     <!-- docs-test: skip REASON -->
# with REASON one of: mpi (needs an MPI build and mpirun), install (writes
# outside the clone, e.g. to /usr/local), setup (scripts/run.sh and
# scripts/test.sh themselves), template (placeholders in capitals, not a
# command), slow (over a minute under the sanitizers; the reason says what).
set -u
parley=$1
src=$(cd "$2" && pwd)
bindir=$(cd "$(dirname "$parley")" && pwd)
commands=$("$parley" help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} /^$/{on=0}')
pattern="^parley (--|($(echo $commands | tr ' ' '|'))( |\$))"
failed=0
ran=0
commands=0
skipped=0
for md in "$src"/README.md "$src"/docs/*.md; do
  name=${md#"$src"/}
  list=$(mktemp)
  # file line command, one per line; SKIP lines count skipped blocks
  awk -v pat="$pattern" '
    /^```/ {
      if (!inblock) {
        inblock = 1; block++; lang = substr($0, 4); skip = (prev ~ /<!-- docs-test: skip [a-z]+/)
        if (skip) print "SKIP " block " " NR
      } else inblock = 0
      prev = $0; next
    }
    inblock && !skip {
      if ((lang == "sh" && $0 !~ /^[ \t]*(#|$)/ && $0 !~ /^\$ /) || (lang == "" && $0 ~ pat))
        print "RUN " block " " NR " " $0
    }
    { prev = $0 }' "$md" >"$list"
  scratch=$(mktemp -d /tmp/parley-docs-XXXXXX)
  for e in "$src"/*; do case ${e##*/} in build*) ;; *) ln -s "$e" "$scratch/" ;; esac; done
  # The lines of one block run as one script (set -e), so that a `cd` holds
  # for the lines after it; a failure names the block's first line and the
  # command that failed.
  script=$(mktemp /tmp/parley-docs-script-XXXXXX)
  current=""
  first=""
  flush() {
    [ -n "$current" ] || return 0
    ran=$((ran + 1))
    if ! (cd "$scratch" && PATH="$bindir:$PATH" sh -e -x "$script" >/dev/null 2>"$scratch/.stderr" </dev/null); then
      failed=$((failed + 1))
      echo "FAIL $name:$first (block run with sh -e -x):" >&2
      tail -n 10 "$scratch/.stderr" | sed 's/^/    /' >&2
    fi
    : >"$script"
  }
  : >"$script"
  while IFS= read -r entry; do
    case $entry in
    SKIP*) skipped=$((skipped + 1)); continue ;;
    esac
    rest=${entry#RUN }
    id=${rest%% *}
    rest=${rest#* }
    line=${rest%% *}
    cmd=${rest#* }
    if [ "$id" != "$current" ]; then
      flush
      current=$id
      first=$line
    fi
    printf '%s\n' "$cmd" >>"$script"
    commands=$((commands + 1))
  done <"$list"
  flush
  rm -f "$script"
  rm -rf "$scratch" "$list"
done
echo "docs: $commands commands in $ran blocks run, $failed blocks failed, $skipped blocks skipped (marked)"
[ "$failed" -eq 0 ] && [ "$commands" -gt 40 ]
