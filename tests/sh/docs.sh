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
skipped=0
for md in "$src"/README.md "$src"/docs/*.md; do
  name=${md#"$src"/}
  list=$(mktemp)
  # file line command, one per line; SKIP lines count skipped blocks
  awk -v pat="$pattern" '
    /^```/ {
      if (!inblock) {
        inblock = 1; lang = substr($0, 4); skip = (prev ~ /<!-- docs-test: skip [a-z]+/)
        if (skip) print "SKIP " NR
      } else inblock = 0
      prev = $0; next
    }
    inblock && !skip {
      if ((lang == "sh" && $0 !~ /^[ \t]*(#|$)/ && $0 !~ /^\$ /) || (lang == "" && $0 ~ pat))
        print "RUN " NR " " $0
    }
    { prev = $0 }' "$md" >"$list"
  scratch=$(mktemp -d /tmp/parley-docs-XXXXXX)
  for e in "$src"/*; do case ${e##*/} in build*) ;; *) ln -s "$e" "$scratch/" ;; esac; done
  while IFS= read -r entry; do
    case $entry in
    SKIP*) skipped=$((skipped + 1)); continue ;;
    esac
    rest=${entry#RUN }
    line=${rest%% *}
    cmd=${rest#* }
    ran=$((ran + 1))
    if ! (cd "$scratch" && PATH="$bindir:$PATH" sh -c "$cmd" >/dev/null 2>"$scratch/.stderr" </dev/null); then
      failed=$((failed + 1))
      echo "FAIL $name:$line: $cmd" >&2
      sed 's/^/    /' "$scratch/.stderr" | head -n 8 >&2
    fi
  done <"$list"
  rm -rf "$scratch" "$list"
done
echo "docs: $ran commands run, $failed failed, $skipped blocks skipped (marked)"
[ "$failed" -eq 0 ] && [ "$ran" -gt 40 ]
