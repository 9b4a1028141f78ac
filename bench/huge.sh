#!/bin/sh
# bench/huge.sh - where the time of `parley analyze` goes, stage by stage,
# from 10^4 to 10^12 outcomes (enumeration up to 10^8, branch and bound
# above), and whether the speed targets are met.
#
#   bench/huge.sh           all rows (about 3.5 minutes on 2 cores)
#   bench/huge.sh --quick   no 10^8 / 10^12 generated rows, no AgentHp2
#                           (well under a minute)
#
# Rows: generated scenarios (`parley generate --values 10 --seed 1`) with
# 2, 3 and 5 parties at 10^4, 10^6, 10^8 outcomes (enumerated) and 10^10,
# 10^12 (branch and bound, above --max-outcomes 10^8); when
# ../shared/scenarios/genius exists next to the repository, the GENIUS
# folders TravelA, AMPOvsCity, AgentHp2 and 10issues (with --frontier all).
# Then a "targets" table and a table for an empty zone at 10^12 (3 and 5
# parties, every reservation value set to 0.74 and 0.72).
#
# Environment: BENCH_TIMEOUT  seconds allowed per analyze run (default 120)
#              BENCH_THREADS  thread counts to run (default "1 2")
#
# Builds parley (Release) into build-bench/ (shared with bench/run.sh),
# runs `parley analyze FILE --json` and prints Markdown tables made from
# the JSON's "run" timings. See bench/README.md.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh" # BUILD, PY, TIMEOUT, THREADS; helpers
PARTIES="2 3 5"
VALUES=10
SEED=1
CAP=100000000          # --max-outcomes: parley's default, pinned here
EXPONENTS="4 6 8 10 12"
# 3 parties still agree at 0.72 (slack 0.013); 0.74 empties their zone.
EMPTY_RESERVATION_3=0.74
EMPTY_RESERVATION_5=0.72
QUICK=0
GENIUS="$ROOT/../shared/scenarios/genius"
# GENIUS folders: name, then 1 if it runs in --quick mode too
GENIUS_SETS="TravelA:1 AMPOvsCity:1 AgentHp2:0 10issues:1"

for arg in "$@"; do
  case $arg in
    --quick) EXPONENTS="4 6 10" QUICK=1 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/huge.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

bench_start parley-huge

# ---- Build ---------------------------------------------------------------
release_build bench/huge.sh
PARLEY="$BUILD/parley"

# ---- Python helper: reads the JSON, keeps the records, prints the tables ---
HELP="$WORK/helper.py"
cat >"$HELP" <<'EOF'
import datetime, json, sys

def reserve(path, value):
    d = json.load(open(path))
    for p in d["parties"]:
        p["reservation"] = float(value)
    with open(path, "w") as f:
        json.dump(d, f, indent=2)

def summary(path):
    """What the table needs from one analysis JSON."""
    d = json.load(open(path))
    run = d["run"]
    st = run["stages"]
    conc = d.get("concession")
    method = d["method"]
    if d.get("counted_by") == "meet-in-the-middle":
        method += " + mitm count"
    if d.get("frontier_method") == "sweep":
        method += " + sweep"
    return dict(parties=str(len(d["parties"])), outcomes=str(d["outcomes"]),
                method=method, agreements=d["agreements"],
                distinct=d["pareto_distinct"],
                estimate=d.get("zone_count_estimate_seconds"),
                seconds=run["seconds"], count=st["count"], ideal=st["ideal"],
                solutions=st["solutions"], frontier=st["frontier"],
                blocking=st["blocking"],
                delta=conc["delta"] if conc else None,
                nblocking=len(d["blocking"]),
                pairs=bool(d.get("blocking_pairs_searched")),
                slack=d.get("zone_slack"))

def record(results, group, label, parties, outcomes, threads, status,
           path, errpath):
    """Appends one JSON line: the configuration and what its best run gave."""
    r = {"group": group, "label": label, "parties": parties,
         "outcomes": outcomes, "threads": int(threads), "status": status}
    if status == "ok":
        try:
            r.update(summary(path))
        except (KeyError, TypeError, ValueError, OSError) as e:
            r["status"] = "error (unexpected JSON)"
            r["error"] = repr(e)
    elif errpath:
        try:
            r["error"] = " ".join(open(errpath, errors="replace")
                                  .read(200).split())
        except OSError:
            pass
    with open(results, "a") as f:
        f.write(json.dumps(r) + "\n")

def sec(x):
    if x is None:
        return "-"
    return f"{x:.4f}" if x < 10 else f"{x:.2f}"

def num(x):
    return "-" if x is None else (f"{x:,}" if isinstance(x, int) else str(x))

def out_txt(o):
    return f"{int(o):,}" if str(o).isdigit() else str(o)

def estimate(x):
    if x is None:
        return "-"
    return f"est. {x:,.0f} s" if x >= 100 else f"est. {x:.3g} s"

def table(head, rows, left):
    w = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
         for i, h in enumerate(head)]
    def line(cells):
        return "| " + " | ".join(c.ljust(w[i]) if i in left else c.rjust(w[i])
                                 for i, c in enumerate(cells)) + " |"
    print(line(head))
    print("|" + "|".join(("-" * (w[i] + 2)) if i in left
                         else ("-" * (w[i] + 1) + ":") for i in range(len(head)))
          + "|")
    for r in rows:
        print(line(r))

def bad(r):
    """The text for every measured cell of a run that did not finish."""
    return "timeout" if r["status"] == "timeout" else "error"

def report(results, timeout, cores, commit, load0, load1, quick, threads):
    recs = [json.loads(l) for l in open(results)]
    quick = quick == "1"
    cpu = "?"
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                cpu = l.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    print(f"parley analyze stages ({'--quick' if quick else 'full run'}), "
          f"{datetime.date.today().isoformat()}, {cores} cores ({cpu}), "
          f"commit {commit}, timeout {timeout} s per run")
    print(f"load average before/after: {load0} / {load1}")
    print()
    notes = []
    for r in recs:
        if r["status"] not in ("ok", "timeout"):
            notes.append(f"{r['label']} threads={r['threads']}: "
                         f"{r['status']}: {r.get('error', '')}")

    # -- main table
    head = ["scenario", "parties", "outcomes", "threads", "method", "zone",
            "distinct", "count s", "ideal s", "all four s", "nash s", "ks s",
            "egal s", "util s", "frontier s", "blocking s", "total s",
            "M/s/thread"]
    rows, first = [], {}
    for r in recs:
        if r["group"] != "main":
            continue
        cells = [r["label"], r["parties"], out_txt(r["outcomes"]),
                 str(r["threads"])]
        if r["status"] != "ok":
            rows.append(cells + [bad(r)] * (len(head) - len(cells)))
            continue
        enum = r["method"] == "enumeration"
        zone = num(r["agreements"]) if r["agreements"] is not None \
            else estimate(r["estimate"])
        s = r["solutions"] or {}
        four = [sec(s.get(k)) for k in
                ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")]
        rate = "-"
        if enum and r["count"]:
            rate = f"{int(r['outcomes']) / r['count'] / r['threads'] / 1e6:.1f}"
        rows.append(cells + [r["method"], zone, num(r["distinct"]),
                             sec(r["count"]), sec(r["ideal"]),
                             sec(r["count"]) if enum else "-", *four,
                             sec(r["frontier"]), sec(r["blocking"]),
                             sec(r["seconds"]), rate])
        key = r["label"]
        res = (r["method"], r["agreements"], r["distinct"], r["delta"],
               r["nblocking"])
        if key in first and first[key] != res:
            notes.append(f"WARNING: {key} gives different results with "
                         f"{r['threads']} threads: {res} vs {first[key]}")
        first.setdefault(key, res)
    table(head, rows, {0, 4})

    # -- targets
    print()
    print("targets")
    print()
    def find(group, label, t):
        for r in recs:
            if r["group"] == group and r["label"] == label and \
                    r["threads"] == t:
                return r
        return None
    ts = [int(t) for t in threads.split()]
    trows = []
    # (a) full analysis, 3 parties, 10^7 outcomes
    for t in ts:
        r = find("target", "gen p3 i7", t)
        if r is None:
            continue
        if r["status"] != "ok":
            trows.append(["(a) full analysis", "gen p3 i7 (10^7)", str(t),
                          bad(r), "< 1 s", "not met"])
            continue
        v = r["seconds"]
        trows.append(["(a) full analysis", "gen p3 i7 (10^7)", str(t),
                      f"{sec(v)} s", "< 1 s", "met" if v < 1 else "not met"])
    # (b) the four solutions at 10^12 (ideal + the four), total shown too
    for p in ("2", "3", "5"):
        label = f"gen p{p} i12"
        got = [(t, find("main", label, t)) for t in ts]
        got = [(t, r) for t, r in got if r is not None]
        if not got:
            trows.append([f"(b) four solutions", f"{label} (10^12)", "-",
                          "not run (--quick)" if quick else "not run",
                          "< 1 s", "-"])
        for t, r in got:
            if r["status"] != "ok":
                trows.append(["(b) four solutions", f"{label} (10^12)",
                              str(t), bad(r), "< 1 s", "not met"])
                continue
            s = r["solutions"] or {}
            v = (r["ideal"] or 0) + sum(x or 0 for x in s.values())
            trows.append(["(b) four solutions", f"{label} (10^12)", str(t),
                          f"{sec(v)} s (total {sec(r['seconds'])} s)",
                          "< 1 s", "met" if v < 1 else "not met"])
    # (c) enumeration rate, 3 parties, 10^8, one thread
    r = find("main", "gen p3 i8", 1)
    if r is None:
        trows.append(["(c) enumeration rate", "gen p3 i8 (10^8)", "1",
                      "not run (--quick)" if quick
                      else "not run (no 1 in BENCH_THREADS)",
                      "200 M/s/core", "-"])
    elif r["status"] != "ok" or not r["count"]:
        trows.append(["(c) enumeration rate", "gen p3 i8 (10^8)", "1",
                      bad(r) if r["status"] != "ok" else "no count stage",
                      "200 M/s/core", "not met"])
    else:
        v = int(r["outcomes"]) / r["count"] / 1e6
        trows.append(["(c) enumeration rate", "gen p3 i8 (10^8)", "1",
                      f"{v:.1f} M/s/core", "200 M/s/core",
                      "met" if v >= 200 else "not met"])
    table(["target", "scenario", "threads", "measured", "goal", "result"],
          trows, {0, 1, 3, 4, 5})

    # -- empty zone
    print()
    print("empty zone at 10^12 (every reservation value set to "
          f"{EMPTY})")
    print()
    erows = []
    for r in recs:
        if r["group"] != "empty":
            continue
        cells = [r["label"], r["parties"], out_txt(r["outcomes"]),
                 str(r["threads"])]
        if r["status"] != "ok":
            erows.append(cells + [bad(r)] * 5)
            continue
        if r["delta"] is not None:
            zone = "empty"
        elif r["slack"] is not None:
            zone = f"not empty (slack {r['slack']:.4f})"
        else:
            zone = "not empty"
        nb = str(r["nblocking"]) + (" (pairs)" if r["pairs"] else "")
        erows.append(cells + [zone,
                              "-" if r["delta"] is None else f"{r['delta']:.4f}",
                              nb, sec(r["blocking"]), sec(r["seconds"])])
    if not erows:
        erows.append(["not run (--quick)" if quick else "not run", "", "", "",
                      "", "", "", "", ""])
    table(["scenario", "parties", "outcomes", "threads", "zone", "delta*",
           "blocking sets", "blocking s", "total s"], erows, {0, 4})
    for n in notes:
        print()
        print(n)

EMPTY = None
if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "reserve":
        reserve(*args)
    elif cmd == "record":
        record(*args)
    elif cmd == "report":
        EMPTY = args[-1]
        report(*args[:-1])
EOF

RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

# bench GROUP LABEL PARTIES OUTCOMES REPS THREADS ARGS...: runs analyze REPS
# times with --threads THREADS, keeps the run with the smallest run.seconds
# and appends its record to $RESULTS.
bench() {
  group=$1 label=$2 parties=$3 outcomes=$4 reps=$5 t=$6
  shift 6
  best="" status="" r=0
  rm -f "$WORK/best.json"
  while [ "$r" -lt "$reps" ]; do
    r=$((r + 1))
    out="$WORK/out.json"
    rc=0
    timeout "$TIMEOUT" "$PARLEY" analyze "$@" --json --threads "$t" \
      --max-outcomes "$CAP" >"$out" 2>"$WORK/err" || rc=$?
    if [ "$rc" -eq 124 ]; then
      status=timeout
      break
    elif [ "$rc" -ne 0 ]; then
      status="error (rc=$rc)"
      break
    fi
    # "run": {"seconds": S} (indented by 4; the whole JSON is read later)
    sec=$(sed -n 's/^    "seconds": \([-+0-9.eE]*\),$/\1/p' "$out" | tail -n 1)
    if [ -z "$sec" ]; then
      status="error (no run.seconds in the JSON)"
      break
    fi
    if [ -z "$best" ] || awk -v a="$sec" -v b="$best" 'BEGIN { exit !(a + 0 < b + 0) }'; then
      best=$sec
      mv "$out" "$WORK/best.json"
    fi
  done
  # a run that ended badly after good ones: keep the best good one
  if [ -n "$best" ]; then
    status=ok
  fi
  "$PY" "$HELP" record "$RESULTS" "$group" "$label" "$parties" "$outcomes" \
    "$t" "$status" "$WORK/best.json" "$WORK/err"
  if [ "$status" = ok ]; then
    say "  $label threads=$t: $(printf '%.4g' "$best") s"
  else
    say "  $label threads=$t: $status"
  fi
  rm -f "$WORK/best.json" "$WORK/out.json"
}

# gen P I FILE: a generated scenario with 10^I outcomes
gen() {
  "$PARLEY" generate --parties "$1" --issues "$2" --values "$VALUES" \
    --seed "$SEED" --output "$3"
}

# ---- Generated scenarios ------------------------------------------------
for p in $PARTIES; do
  for e in $EXPONENTS; do
    file="$WORK/gen-p$p-i$e.json"
    gen "$p" "$e" "$file"
    # best of 3, but one run of an enumerated 10^8
    reps=3
    [ "$e" -eq 8 ] && reps=1
    label="gen p$p i$e"
    say "$label: 10^$e outcomes"
    for t in $THREADS; do
      bench main "$label" "$p" "1$(printf "%0${e}d" 0)" "$reps" "$t" "$file"
    done
    rm -f "$file"
  done
done

# ---- GENIUS folders (only when ../shared/scenarios/genius exists) --------
if [ -d "$GENIUS" ]; then
  for name in $(genius_names); do
    dir="$GENIUS/$name"
    # parties and outcomes (only used for the row of a run that fails)
    set -- $(genius_size "$dir")
    np=$1 no=$2
    say "genius $name: ${no:-?} outcomes"
    reps=3
    [ "$name" = AgentHp2 ] && reps=1   # 65 MB of JSON per run
    for t in $THREADS; do
      bench main "genius $name" "${np:-?}" "${no:-?}" "$reps" "$t" "$dir" \
        --frontier all
    done
  done
fi

# ---- Target (a): full analysis of 3 parties, 10^7 outcomes --------------
file="$WORK/gen-p3-i7.json"
gen 3 7 "$file"
say "target (a): gen p3 i7"
for t in $THREADS; do
  bench target "gen p3 i7" 3 10000000 3 "$t" "$file"
done
rm -f "$file"

# ---- Empty zone at 10^12: every reservation value raised ----------------
if [ "$QUICK" -eq 0 ]; then
  for p in 3 5; do
    file="$WORK/empty-p$p.json"
    gen "$p" 12 "$file"
    eval "res=\$EMPTY_RESERVATION_$p"
    "$PY" "$HELP" reserve "$file" "$res"
    label="gen p$p i12 r$res"
    say "$label (empty zone?)"
    for t in $THREADS; do
      bench empty "$label" "$p" 1000000000000 3 "$t" "$file"
    done
    rm -f "$file"
  done
fi

# ---- The tables -------------------------------------------------------------
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
"$PY" "$HELP" report "$RESULTS" "$TIMEOUT" "$(nproc 2>/dev/null || echo '?')" \
  "$(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo '?')" \
  "$LOAD_BEFORE" "$LOAD_AFTER" "$QUICK" "$THREADS" "$EMPTY_RESERVATION_3/$EMPTY_RESERVATION_5"
