#!/bin/sh
# bench/uncertainty.sh - the robust analysis (docs/uncertainty.md) against
# the baselines of issue 19, each with its baseline in the same run.
#
# Table 1: 10,000 Monte Carlo draws of the built-in talks-uncertain (8,100
#   packages, 15 uncertain inputs, two voting bodies): wall seconds of the
#   whole `parley analyze` with and without the sensitivity analysis, on 1
#   and 2 threads; baseline: the deterministic analysis of the same file
#   (--deterministic). Target: under 1 s on 2 cores.
# Table 2: 1,000 draws of AMPOvsCity (tests/data/genius, 1,944,000
#   packages, reservation value 0) in the parley reading (each issue's
#   evaluations divided by its largest and the weights normalised: the
#   GENIUS utilities) with uncertain reservation values (uniform 0-0.4) and
#   Dirichlet weights (alpha = 50 x weight). Baseline: its deterministic
#   analysis. Target: under 10 s.
# Table 3: the exact pass probability of a 450-seat body. A body of 450
#   single members with distinct shifts needs 451 dynamic programmes at load
#   time (one per level); the time per programme is (validate with the body
#   - validate without it) / 451. Target: under 1 ms.
#
# Usage: sh bench/uncertainty.sh [RUNS]   (default 3; a minute or so)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
RUNS=${1:-3}
bench_start uncertainty-bench
release_build bench/uncertainty.sh parley
PARLEY=$BUILD/parley

# best_of N CMD...: the smallest wall time of N runs, in seconds.
best_of() {
  "$PY" - "$@" <<'PYEOF'
import subprocess, sys, time
n = int(sys.argv[1]); cmd = sys.argv[2:]
best = None
for _ in range(n):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    t = time.perf_counter() - t
    best = t if best is None or t < best else best
print("%.3f" % best)
PYEOF
}

echo "load average before: $LOAD_BEFORE"
echo
echo "Table 1: talks-uncertain, 10,000 draws (best of $RUNS, wall seconds)"
printf '%-8s %14s %16s %18s\n' threads deterministic "MC, no sensitivity" "MC + sensitivity"
for th in $THREADS; do
  b=$(best_of "$RUNS" "$PARLEY" analyze talks-uncertain --deterministic --threads "$th")
  m=$(best_of "$RUNS" "$PARLEY" analyze talks-uncertain --draws 10000 --no-sensitivity --threads "$th")
  s=$(best_of "$RUNS" "$PARLEY" analyze talks-uncertain --draws 10000 --threads "$th")
  printf '%-8s %14s %16s %18s\n' "$th" "$b" "$m" "$s"
done

"$PARLEY" convert --to parley "$ROOT/tests/data/genius/AMPOvsCity" >"$WORK/ampo.json"
"$PY" - "$WORK/ampo.json" "$WORK/ampo-u.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
s.pop("reading", None)
for p in s["parties"]:
    p.pop("capped", None)
    tot = sum(p["weights"].values())
    w = {k: v / tot for k, v in p["weights"].items()}
    for issue, table in p["values"].items():
        if isinstance(table, dict) and "shape" not in table:
            top = max(table.values()) or 1
            p["values"][issue] = {k: v / top for k, v in table.items()}
    p["weights"] = {"dirichlet": {k: 50 * v for k, v in w.items() if v > 0}}
    p["reservation"] = {"uniform": [0, 0.4]}
json.dump(s, open(sys.argv[2], "w"))
PYEOF
echo
echo "Table 2: AMPOvsCity with uncertain reservations and weights, 1,000 draws (best of $RUNS)"
printf '%-8s %14s %16s %18s\n' threads deterministic "MC, no sensitivity" "MC + sensitivity"
for th in $THREADS; do
  b=$(best_of "$RUNS" "$PARLEY" analyze "$WORK/ampo-u.json" --deterministic --threads "$th")
  m=$(best_of "$RUNS" "$PARLEY" analyze "$WORK/ampo-u.json" --draws 1000 --no-sensitivity --threads "$th")
  s=$(best_of "$RUNS" "$PARLEY" analyze "$WORK/ampo-u.json" --draws 1000 --threads "$th")
  printf '%-8s %14s %16s %18s\n' "$th" "$b" "$m" "$s"
done

"$PY" - "$WORK/plain.json" "$WORK/body.json" <<'PYEOF'
import json, sys
base = {"parley": 1,
        "issues": [{"name": "x", "type": "integer", "min": 0, "max": 100, "step": 1}],
        "parties": [
            {"name": "A", "weights": {"x": 1}, "values": {"x": {"shape": "linear", "best": "max"}}},
            {"name": "B", "weights": {"x": 1}, "values": {"x": {"shape": "linear", "best": "min"}}}],
        "ratifiers": [{"name": "R", "threshold": 0.5, "weights": {"x": 1},
                       "values": {"x": {"shape": "linear", "best": "max"}}}]}
json.dump(base, open(sys.argv[1], "w"))
base["ratifiers"][0]["body"] = {
    "rule": "majority", "of": "votes cast", "seats": 450,
    "blocs": [{"name": "m%d" % k, "loyalty": 0.6 + 0.39 * k / 449,
               "abstain": 0.05, "shift": -0.45 + 0.9 * k / 449} for k in range(450)]}
json.dump(base, open(sys.argv[2], "w"))
PYEOF
p=$(best_of "$RUNS" "$PARLEY" validate "$WORK/plain.json")
b=$(best_of "$RUNS" "$PARLEY" validate "$WORK/body.json")
echo
echo "Table 3: pass probability of a 450-seat body (members, abstention, votes cast; best of $RUNS)"
printf '%-26s %10s\n' "validate without the body" "$p s"
printf '%-26s %10s\n' "with it (451 programmes)" "$b s"
"$PY" -c "print('%-26s %10.4f ms' % ('per programme', max(0.0, ($b - $p)) / 451 * 1000))"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
