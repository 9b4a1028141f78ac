#!/bin/sh
# report_render.sh PARLEY WORKDIR - the rendered check of the report
# (docs/report.md): writes the built-in talks report, opens it in headless
# Chromium (Debian's chromium; scripts/install-chromium.sh installs it,
# scripts/test.sh runs that), takes a screenshot and checks by pixel
# statistics that the page is drawn: not blank, not one flat colour, and
# showing the data colours of the plots at the top of the page (the deal
# space bars in Okabe-Ito blue, vermillion and green).
set -eu
PARLEY=$1
WORK=$2
rm -rf "$WORK"
mkdir -p "$WORK"
if ! command -v chromium >/dev/null 2>&1; then
  echo "report_render: chromium is missing: run sh scripts/install-chromium.sh (as root)" >&2
  exit 1
fi
"$PARLEY" report -o "$WORK/talks.html"
# --no-sandbox: the tests may run as root; a profile of its own in WORK so
# nothing outside it is touched.
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$WORK/profile" --window-size=1280,1600 \
  --screenshot="$WORK/talks.png" "file://$WORK/talks.html" >"$WORK/chromium.log" 2>&1 || {
  cat "$WORK/chromium.log" >&2
  exit 1
}
python3 "$(dirname "$0")/png_stats.py" "$WORK/talks.png" >"$WORK/stats.txt"
cat "$WORK/stats.txt"
get() { sed -n "s/^$1=//p" "$WORK/stats.txt"; }
# Thresholds from the screenshot looked at when this test was written
# (docs/report.md): about 14% of the pixels are not white, over a thousand
# colours (text anti-aliasing, viridis cells), blue about 0.3%.
awk -v nw="$(get nonwhite)" -v c="$(get colours)" -v b="$(get blue)" \
    -v v="$(get vermillion)" -v g="$(get green)" 'BEGIN {
  ok = 1
  if (nw < 0.03 || nw > 0.6) { print "report_render: non-white share " nw " outside [0.03, 0.6]"; ok = 0 }
  if (c < 200) { print "report_render: only " c " colours"; ok = 0 }
  if (b < 0.0005) { print "report_render: no Okabe-Ito blue (bars)"; ok = 0 }
  if (v < 0.0005) { print "report_render: no vermillion (bars, verdict)"; ok = 0 }
  if (g < 0.0002) { print "report_render: no green (bars)"; ok = 0 }
  exit ok ? 0 : 1 }' >&2
echo "report_render: ok"
