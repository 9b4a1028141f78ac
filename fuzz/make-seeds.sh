#!/bin/sh
# Rebuilds the seed corpora fuzz/corpus/NAME/ from the repository's own
# files (built-in scenarios, examples, test data) and a few hand-written
# cases. Run from anywhere, after building parley into build-test (or give
# the program as $1); the result is committed.
set -eu
cd "$(dirname "$0")/.."
PARLEY=${1:-build-test/parley}
SEP='--8<--'
C=fuzz/corpus
rm -rf "$C" && mkdir -p "$C"
for t in scenario expr genius geniusweb conflict gmcr tournament agent options struct divide; do
  mkdir -p "$C/$t"
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Scenarios: the built-in one, the test data, GENIUS domains converted.
cp scenarios/talks.json tests/data/*.json "$C/scenario/"
for g in tests/data/genius/*/; do
  n=$(basename "$g")
  [ "$n" = 10issues ] && continue # large; the others cover its features
  "$PARLEY" convert --to parley "$g" --output "$C/scenario/genius-$n.json" 2>/dev/null || true
done
"$PARLEY" generate --parties 3 --issues 3 --values 3 --seed 1 --output "$C/scenario/generated.json"

# GENIUS: domain, then its profiles, one input per folder.
for g in tests/data/genius/*/; do
  n=$(basename "$g")
  [ "$n" = 10issues ] && continue
  dom=$(grep -l "<objective" "$g"*.xml | head -n 1)
  {
    cat "$dom"
    for p in "$g"*.xml; do
      [ "$p" = "$dom" ] && continue
      grep -q "<utility_space" "$p" || continue
      printf '\n%s\n' "$SEP"; cat "$p"
    done
  } >"$C/genius/$n.xml"
done
# a hyperRectangle profile (10issues has them): its domain and first profile
{ cat tests/data/genius/10issues/10issues-domain.xml; printf '\n%s\n' "$SEP"
  cat tests/data/genius/10issues/profile-1.xml; } >"$C/genius/hyper.xml"

# GeniusWeb: parley's own export of the small scenarios.
for s in tests/data/cli_small.json "$C/scenario/generated.json" "$C/scenario/genius-ItexvsCypress.json" "$C/scenario/genius-group2-dinner.json"; do
  n=$(basename "$s" .json)
  "$PARLEY" convert --to geniusweb "$s" "$tmp/$n" >/dev/null 2>&1 || continue
  dom=$(ls "$tmp/$n"/*.json | grep -v -i profile | head -n 1)
  { cat "$dom"; for p in "$tmp/$n"/*.json; do
      [ "$p" = "$dom" ] && continue; printf '\n%s\n' "$SEP"; cat "$p"; done; } >"$C/geniusweb/$n.json"
done

# Conflicts: parley's conflict JSON; GMCR+ (gmcr-py) files.
cp scenarios/conflicts/*.json "$C/conflict/"
cp tests/data/gmcr/*.json "$C/conflict/"
cat >"$C/gmcr/prisoners.gmcr" <<'G'
{"useManualPreferenceRanking": false, "infeasibles": [], "program": "gmcr-py",
 "options": [{"name": "Cooperate with 2", "permittedDirection": "both"},
   {"name": "Cooperate with One", "permittedDirection": "both"}],
 "decisionMakers": [
  {"preferences": [[[1, "Y"]], [[0, "N"]]], "name": "One", "options": [0]},
  {"preferences": [[[0, "Y"]], [[1, "N"]]], "name": "Two", "options": [1]}]}
G
cat >"$C/gmcr/manual.gmcr" <<'G'
{"useManualPreferenceRanking": true, "infeasibles": [[[0, "Y"], [2, "N"]]],
 "options": [{"name": "a", "permittedDirection": "fwd"},
   {"name": "b", "permittedDirection": "both"},
   {"name": "c", "permittedDirection": "back"}],
 "decisionMakers": [
  {"name": "A", "options": [0], "preferences": [],
   "preferenceRanking": [8, [7, 6], 5, 4, 3, 2]},
  {"name": "B", "options": [1], "preferences": [{"compound": true, "members": [[[0, "Y"]], [[2, "N"]]]}]},
  {"name": "C", "options": [2], "preferences": [[[1, "Y"], [0, "N"]]]}],
 "coalitions": [[0, 1], 2]}
G

# Tournament configurations.
cp tests/data/tournament/*.json examples/tournament-small.json "$C/tournament/"

# Rules of the fixed issues colour (red, green, dark blue), km (0..40 by
# 10), share (0, 0.25, 0.5, 1), shade (red, x, it's): fuzz_expr.c.
i=0
while IFS= read -r r; do
  i=$((i + 1)); printf '%s' "$r" >"$C/expr/rule-$i"
done <<'R'
colour == "red"
colour != 'dark blue' and km <= 20
km < 30 implies share >= 0.5
not (colour in ["red", "green"]) or km == 40
colour == shade
shade == "it\'s" OR share > 0.25 AND km >= 10
(km + 10 <= 40) and share * 2 < 1.5
colour not in ['green']
true and not false
km in [0, 10, 40] implies colour != shade
R

# Agent specifications.
i=0
for a in boulware "boulware:e=0.2" "conceder:e=1.5" linear hardliner tit-for-tat random frequency micro "conceder:e=1.5,k=0.1" "boulware:e=0.1,k=0.05"; do
  i=$((i + 1)); printf '%s' "$a" >"$C/agent/agent-$i"
done

# Option strings (fuzz_options.c: FIELD newline VALUE).
printf 'coalitions\nUkraine+United States' >"$C/options/coalitions"
printf 'from\nstatus-quo' >"$C/options/from"
printf 'agents\nboulware,conceder:e=1.5,micro' >"$C/options/agents"
printf 'mediator\nUnited States' >"$C/options/mediator"
printf 'start-from\nneutral' >"$C/options/start-from"
printf 'package\ndonbas=stays Ukrainian' >"$C/options/package"
printf 'package\ndonbas=demilitarised free economic zone,monitoring=observers\nguarantees=US treaty-level,ua_withdrawal_km=20' >"$C/options/packages"
printf 'groups\ndonbas/ua_withdrawal_km,monitoring/guarantees' >"$C/options/groups"

# Fair division (docs/divide.md): the example, and cases with ties,
# fractions and an item nobody values.
cp examples/divide/*.json "$C/divide/"
printf '{"parties": ["A", "B"], "items": [{"name": "x", "points": [50, 50]}, {"name": "y", "points": [50, 50]}]}' >"$C/divide/ties.json"
printf '{"parties": ["A", "B"], "items": [{"name": "x", "points": [33.3, 0]}, {"name": "y", "points": [66.7, 99.5]}, {"name": "z", "points": [0, 0.5]}, {"name": "w", "points": [0, 0]}]}' >"$C/divide/decimals.json"

# Structure-aware: bytes; any bytes make a scenario.
printf '\001\000\003\001\002\003\004\005\006\007' >"$C/struct/one-issue"
printf '\003\000\003\000\001\002\001\002\005\000\003\007\010\011\012\013\014\015\016\017\020\021\022\023\024\025\026\027' >"$C/struct/mixed"
printf '\002\002\001\001\017\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017\020\021\022\023\024\025\026\027\030\031\032' >"$C/struct/rules"
for t in scenario expr genius geniusweb conflict gmcr tournament agent options struct divide; do
  printf '%s: %s seeds\n' "$t" "$(ls "$C/$t" | wc -l)"
done
