#!/usr/bin/env bash
# Opens the HTML page of snapsim draw in headless Chromium and checks that the
# script ran, drew the diagram, and switches snapshots (by URL fragment).
# Installs Chromium through scripts/install-test-deps.sh when it is missing;
# exits 77 (ctest SKIP_RETURN_CODE) only when it cannot be installed.
# usage: chromium_test.sh SNAPSIM DATA_DIR REPO_ROOT
set -u
SNAPSIM=$1 DATA=$2 ROOT=$3
CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  "$ROOT/scripts/install-test-deps.sh" >&2 || { echo "chromium cannot be installed: skipped"; exit 77; }
fi
[ -x "$CHROMIUM" ] || { echo "chromium cannot be installed: skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$SNAPSIM" draw "$DATA/hidden.jsonl" --html "$T/page.html" >/dev/null || exit 1
dump() {  # dump FRAGMENT > file
  timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$T/profile" \
    --virtual-time-budget=2000 --dump-dom "file://$T/page.html$1" 2>/dev/null
}
fail=0
check() {  # check NAME FILE PATTERN
  grep -q -- "$3" "$2" || { echo "FAIL ($1): no match for $3"; fail=1; }
}
dump "" >"$T/default.html"
dump "#snapshot=2" >"$T/s2.html"
dump "#snapshot=1&from=400ns&to=700ns" >"$T/zoom.html"
# Default: the script ran and shows the inconsistent snapshot 1 and its witness.
check default "$T/default.html" 'data-snapshot="1" data-ready="1"'
check default "$T/default.html" 'snapshot 1: VIOLATION'
check default "$T/default.html" '<li>o0 send m4</li>'
check default "$T/default.html" '<option value="2">2 - ok</option>'
check default "$T/default.html" '<g class="overlay" data-snapshot="1">'
check default "$T/default.html" '<g class="overlay" data-snapshot="2" display="none">'
# The fragment switches to snapshot 2.
check switched "$T/s2.html" 'data-snapshot="2" data-ready="1"'
check switched "$T/s2.html" 'snapshot 2: ok'
check switched "$T/s2.html" '<g class="overlay" data-snapshot="2">'
check switched "$T/s2.html" '<g class="overlay" data-snapshot="1" display="none">'
check switched "$T/s2.html" 'class="mk s2 sel"'
# The fragment zooms: the window inputs follow, axis ticks were redrawn.
/usr/bin/python3 - "$T/zoom.html" <<'PY' || fail=1
import re, sys
html = open(sys.argv[1]).read()
ok = True
for want in [r'id="from"[^>]*', r'id="to"[^>]*']:
    if not re.search(want, html):
        ok = False
# The arrow o0 -> g0 (m4, 450 -> 500 ns) spans 1/6 of the 300 ns view at
# 1200 px: about 200 px wide once zoomed, 55 px before.
m = re.search(r'<line class="m" x1="([0-9.]+)"[^>]*x2="([0-9.]+)"[^>]*data-v1="350.0" data-v2="400.0"', html)
if not m:
    print("FAIL (zoom): arrow m4 not found"); sys.exit(1)
width = float(m.group(2)) - float(m.group(1))
if not 150 < width < 250:
    print(f"FAIL (zoom): m4 is {width:.1f} px wide, expected about 200"); ok = False
sys.exit(0 if ok else 1)
PY
# A screenshot shows something (not a blank page).
timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$T/profile" \
  --window-size=1400,700 --screenshot="$T/shot.png" "file://$T/page.html" >/dev/null 2>&1
[ "$(stat -c %s "$T/shot.png" 2>/dev/null || echo 0)" -gt 20000 ] || { echo "FAIL: screenshot"; fail=1; }
exit $fail
