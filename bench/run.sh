#!/bin/sh
# bench/run.sh - throughput of `parley analyze` on generated, built-in and
# GENIUS scenarios.
#
#   bench/run.sh            10^3 .. 10^8 outcomes (2-3 minutes on 2 cores in Nov 2026)
#   bench/run.sh --quick    10^3 .. 10^6 outcomes (well under a minute)
#
# When ../shared/scenarios/genius exists (next to the repository), GENIUS
# folders are analysed too, with --frontier all (the frontier GENIUS
# computes, over all bids): TravelA, AMPOvsCity, 10issues (10^10 outcomes,
# branch and bound) and, not with --quick, AgentHp2.
#
# Environment: BENCH_TIMEOUT  seconds allowed per analyze run (default 120)
#              BENCH_THREADS  thread counts to run (default "1 2")
#
# Builds parley (Release) into build-bench/, generates scenarios with fixed
# seeds, runs `parley analyze FILE --json` and prints a Markdown table made
# from the JSON ("run.seconds" is the analysis time measured by parley
# itself: loading the file and writing the report are not included).
# See bench/README.md.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh" # BUILD, PY, TIMEOUT, THREADS; helpers
PARTIES="2 3 5"
VALUES=10
SEED=1
CAP=200000000
MAX_EXP=8
QUICK=0
GENIUS="$ROOT/../shared/scenarios/genius"
# GENIUS folders: name, then 1 if it runs in --quick mode too
GENIUS_SETS="TravelA:1 AMPOvsCity:1 AgentHp2:0 10issues:1"

for arg in "$@"; do
  case $arg in
    --quick) MAX_EXP=6 QUICK=1 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

bench_start parley-bench

# ---- Build ---------------------------------------------------------------
release_build bench/run.sh
PARLEY="$BUILD/parley"

# ---- One configuration: best of N runs -> one TSV record ---------------
# record: label parties outcomes threads status seconds agreements frontier
#         blocking pairs_searched method pareto_distinct
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# extract FILE: prints "seconds parties outcomes agreements frontier blocking
# pairs_searched method pareto_distinct" from an analysis JSON. Without
# enumeration ("method": "branch-and-bound") nothing is counted: agreements
# is null, pareto lists one outcome per distinct point (so the frontier with
# ties kept is unknown) and blocking is not searched; those print as "-".
extract() {
  "$PY" - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
method = d.get("method", "enumeration")
enum = method == "enumeration"
na = lambda x: x if enum and x is not None else "-"
print(repr(d["run"]["seconds"]), len(d["parties"]), d["outcomes"],
      na(d["agreements"]), na(len(d["pareto"])), na(len(d["blocking"])),
      "yes" if d.get("blocking_pairs_searched") else "no", method,
      d["pareto_distinct"])
EOF
}

# bench LABEL REPS THREADS [FILE]: runs analyze REPS times, keeps the fastest.
bench() {
  label=$1 reps=$2 t=$3
  shift 3
  best="" bestfile="" status=ok r=0
  while [ "$r" -lt "$reps" ]; do
    r=$((r + 1))
    out="$WORK/out.$r.json"
    rc=0
    timeout "$TIMEOUT" "$PARLEY" analyze "$@" --json --threads "$t" \
      --max-outcomes "$CAP" >"$out" 2>"$WORK/err" || rc=$?
    if [ "$rc" -eq 124 ]; then
      status="timeout"
      break
    elif [ "$rc" -ne 0 ]; then
      status="error(rc=$rc: $(head -c 120 "$WORK/err" | tr '\t\n' '  '))"
      break
    fi
    sec=$(extract "$out" | cut -d' ' -f1)
    if [ -z "$best" ] || awk -v a="$sec" -v b="$best" 'BEGIN { exit !(a + 0 < b + 0) }' ; then
      best=$sec
      cp "$out" "$WORK/best.json"
      bestfile="$WORK/best.json"
    fi
  done
  if [ "$status" = ok ]; then
    # shellcheck disable=SC2046
    set -- $(extract "$bestfile")
    printf '%s\t%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$2" \
      "$3" "$t" "$1" "$4" "$5" "$6" "$7" "$8" "$9" >>"$RESULTS"
    say "  $label threads=$t: $(printf '%.4g' "$1") s"
  else
    printf '%s\t%s\t%s\t%s\t%s\t\t\t\t\t\t\t\n' "$label" "$PARTIES_NOW" \
      "$OUTCOMES_NOW" "$t" "$status" >>"$RESULTS"
    say "  $label threads=$t: $status"
  fi
  LAST_STATUS=$status
}

# ---- Generated scenarios ------------------------------------------------
for p in $PARTIES; do
  for t in $THREADS; do
    eval "dead_${p}_$t=''"
  done
  e=3
  while [ "$e" -le "$MAX_EXP" ]; do
    outcomes=$("$PY" -c "print(10**$e)")
    file="$WORK/gen-p$p-i$e.json"
    "$PARLEY" generate --parties "$p" --issues "$e" --values "$VALUES" \
      --seed "$SEED" --output "$file"
    reps=3
    [ "$e" -ge 7 ] && reps=1
    label="gen p$p i$e v$VALUES s$SEED"
    say "$label: $outcomes outcomes"
    for t in $THREADS; do
      PARTIES_NOW=$p OUTCOMES_NOW=$outcomes
      eval "dead=\$dead_${p}_$t"
      if [ -n "$dead" ]; then
        # a smaller size already ran out of time: this one would too
        printf '%s\t%s\t%s\t%s\tskipped: > %s s (%s timed out)\t\t\t\t\t\t\t\n' \
          "$label" "$p" "$outcomes" "$t" "$TIMEOUT" "$dead" >>"$RESULTS"
        say "  threads=$t: skipped"
        continue
      fi
      bench "$label" "$reps" "$t" "$file"
      if [ "$LAST_STATUS" = timeout ]; then
        eval "dead_${p}_$t='10^$e'"
      fi
    done
    rm -f "$file"
    e=$((e + 1))
  done
done

# ---- The built-in scenario -------------------------------------------------
say "built-in scenario (default)"
for t in $THREADS; do
  PARTIES_NOW="?" OUTCOMES_NOW="?"
  bench "built-in $("$PARLEY" scenarios | awk '/\[default\]/ {print $1}')" 3 "$t"
done

# ---- GENIUS folders (only when ../shared/scenarios/genius exists) --------
# Frontier over all bids (--frontier all), as GENIUS computes it. 10issues
# (10^10 outcomes) is above --max-outcomes: branch and bound.
if [ -d "$GENIUS" ]; then
  for name in $(genius_names); do
    dir="$GENIUS/$name"
    set -- $(genius_size "$dir")
    PARTIES_NOW=$1 OUTCOMES_NOW=$2
    # best of 3, of 1 from 10^7 enumerated outcomes on (as above)
    reps=3
    case $OUTCOMES_NOW in
      *[!0-9]*|'') ;;
      *) if [ "$OUTCOMES_NOW" -ge 10000000 ] && [ "$OUTCOMES_NOW" -le "$CAP" ]; then
           reps=1
         fi ;;
    esac
    say "genius $name: $OUTCOMES_NOW outcomes"
    for t in $THREADS; do
      bench "genius $name" "$reps" "$t" "$dir" --frontier all
    done
  done
fi

# ---- The table ------------------------------------------------------------
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
"$PY" - "$RESULTS" "$TIMEOUT" "$(nproc 2>/dev/null || echo '?')" \
  "$(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo '?')" \
  "$LOAD_BEFORE" "$LOAD_AFTER" <<'EOF'
import sys, datetime
path, timeout, cores, commit, load0, load1 = sys.argv[1:7]
cpu = "?"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
print(f"parley analyze benchmark, {datetime.date.today().isoformat()}, "
      f"{cores} cores ({cpu}), commit {commit}, timeout {timeout} s per run")
print(f"load average before/after: {load0} / {load1} (other work on the "
      f"machine slows the runs, most of all those with 2 threads)")
print()
head = ["scenario", "parties", "outcomes", "threads", "method", "seconds",
        "M outcomes/s", "agreements", "frontier", "distinct", "blocking"]
num = lambda x: f"{int(x):,}" if x.isdigit() else x
rows = []
first = {}
notes = []
for line in open(path):
    f = line.rstrip("\n").split("\t")
    label, parties, outcomes, threads, status = f[:5]
    out = int(outcomes) if outcomes.isdigit() else None
    if status != "ok":
        if status == "timeout":
            status = f"skipped: > {timeout} s (timed out)"
        rows.append([label, parties, f"{out:,}" if out else outcomes, threads,
                     "", status, "", "", "", "", ""])
        continue
    sec, agree, front, block, pairs, method, distinct = f[5:12]
    s = float(sec)
    # a rate means something only when the space was enumerated
    if method != "enumeration":
        rate = "-"
    else:
        rate = f"{out / s / 1e6:.1f}" if s > 0 else "-"
    b = num(block) + (" (pairs)" if pairs == "yes" else "")
    key = (label, outcomes)
    res = (method, agree, front, distinct, block)
    if key in first and first[key] != res:
        notes.append(f"WARNING: {label} gives different results with "
                     f"{threads} threads")
    first.setdefault(key, res)
    sec_txt = f"{s:.4f}" if s < 1 else f"{s:.2f}"
    rows.append([label, parties, f"{out:,}", threads, method, sec_txt, rate,
                 num(agree), num(front), num(distinct), b])
right = {1, 2, 3, 5, 6, 7, 8, 9, 10}
w = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
def line(cells):
    return "| " + " | ".join(c.rjust(w[i]) if i in right else c.ljust(w[i])
                             for i, c in enumerate(cells)) + " |"
print(line(head))
print("|" + "|".join(("-" * (w[i] + 1) + ":") if i in right
                     else ("-" * (w[i] + 2)) for i in range(len(head))) + "|")
for r in rows:
    print(line(r))
for n in notes:
    print()
    print(n)
EOF
