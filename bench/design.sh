#!/bin/sh
# bench/design.sh - what deal design (who blocks, values out of reach,
# proposal repair; docs/analysis.md 7.5-8.1) adds to `parley analyze`, and
# proposal repair above the enumeration cap.
#
# Table 1: the built-in talks and AMPOvsCity (tests/data/genius): the
# median over RUNS runs of the whole analysis (run.seconds) and of its
# design stage (run.stages.design), both measured inside the same run, so
# the baseline (the analysis without design = seconds - design) is in the
# same run. Target: design under 10% of the rest.
# Table 2: generated 10^12-outcome scenarios (12 issues of 10 values),
# reservations raised so the zone is empty or small, each with a
# --package drawn by seed: the design stage (who blocks + repair) and the
# issues the repair changes. Target: under 1 s.
#
# Usage: sh bench/design.sh [RUNS]   (default 7; a minute or two)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
RUNS=${1:-7}
bench_start design-bench
release_build bench/design.sh parley
PARLEY=$BUILD/parley

stats() { # FILE... of JSON outputs -> "median seconds, median design"
  "$PY" - "$@" <<'PYEOF'
import json, statistics, sys
s, d = [], []
for f in sys.argv[1:]:
    r = json.load(open(f))["run"]
    s.append(r["seconds"]); d.append(r["stages"]["design"])
ms, md = statistics.median(s), statistics.median(d)
base = ms - md
print("%.5f %.5f %.5f %.1f" % (ms, base, md, 100.0 * md / base if base > 0 else 0))
PYEOF
}

echo "load average before: $LOAD_BEFORE"
echo
echo "Table 1: design's share of parley analyze (median of $RUNS runs, --threads 1)"
printf '%-12s %10s %12s %10s %8s\n' scenario seconds without design share%
for sc in talks "$ROOT/tests/data/genius/AMPOvsCity"; do
  files=""
  for r in $(seq "$RUNS"); do
    "$PARLEY" analyze "$sc" --json --threads 1 >"$WORK/a$r.json"
    files="$files $WORK/a$r.json"
  done
  # shellcheck disable=SC2086
  set -- $(stats $files)
  printf '%-12s %10s %12s %10s %8s\n' "$(basename "$sc")" "$1" "$2" "$3" "$4"
done

echo
echo "Table 2: repair at 10^12 outcomes (generated, 12 issues x 10 values)"
printf '%-8s %-5s %-6s %12s %10s %8s %9s\n' parties seed reserv outcomes design changes at_delta
for np in 2 3; do
  for seed in 1 2 3; do
    "$PARLEY" generate --parties "$np" --issues 12 --values 10 --seed "$seed" >"$WORK/g.json"
    for res in 0.6 0.7; do
      pkg=$("$PY" - "$WORK/g.json" "$seed" "$res" "$WORK/h.json" <<'PYEOF'
import json, random, sys
d = json.load(open(sys.argv[1]))
for p in d["parties"]:
    p["reservation"] = float(sys.argv[3])
json.dump(d, open(sys.argv[4], "w"))
rng = random.Random(int(sys.argv[2]))
print(",".join("%s=%s" % (i["name"], rng.choice(i["options"])) for i in d["issues"]))
PYEOF
)
      "$PARLEY" analyze "$WORK/h.json" --json --threads 1 --frontier none \
        --no-count --package "$pkg" >"$WORK/r.json"
      "$PY" - "$WORK/r.json" "$np" "$seed" "$res" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["proposals"][-1]["repair"]
print("%-8s %-5s %-6s %12d %10.4f %8s %9s" % (sys.argv[2], sys.argv[3], sys.argv[4],
      d["outcomes"], d["run"]["stages"]["design"],
      len(p["changes"]) if p else "-", ("%.4f" % p["at_delta"]) if p else "-"))
PYEOF
    done
  done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
