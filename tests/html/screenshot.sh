#!/usr/bin/env bash
# The HTML report in a real browser: renders the seeded fixture's report (tests/data/report)
# with headless Chromium at desktop (1200 px) and phone (390 px) widths, and fails when the
# browser fails, logs a console error, or the screenshot is missing or blank. Exits 77 (CTest
# "Skipped") without chromium or sqlite3 (scripts/install-deps.sh --test installs both).
#   tests/html/screenshot.sh CMTOOL DATA_DIR OUT_DIR
set -euo pipefail
cmtool=$1 data=$2 out=$3
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "screenshot: chromium is not installed: skipped"; exit 77; }
command -v sqlite3 >/dev/null || { echo "screenshot: sqlite3 is not installed: skipped"; exit 77; }

rm -rf "$out"
mkdir -p "$out/ws"
cp -r "$data/cmtool.yaml" "$data/calendar" "$out/ws/"
now=2026-11-25T10:00:00+01:00
# The first run creates and migrates the store; then the fixture's rows go in.
"$cmtool" -C "$out/ws" -q --now "$now" report --format json >/dev/null
sqlite3 "$out/ws/.cmtool/state.db" <"$data/seed.sql"
for lang in fr en; do
  "$cmtool" -C "$out/ws" -q --now "$now" report --month 2026-11 --lang "$lang" \
    -o "$out/report-$lang.html"
done

status=0
shoot() {  # LANG WIDTH HEIGHT
  local html="$out/report-$1.html" png="$out/report-$1-$2.png" log="$out/chromium-$1-$2.log"
  local rc=0
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --disable-extensions --user-data-dir="$out/profile-$1-$2" \
    --enable-logging=stderr --v=0 --window-size="$2,$3" --screenshot="$png" \
    "file://$html" >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "screenshot: chromium exited $rc for $1 at $2 px (log: $log)"; status=1; return
  fi
  if grep -E "Uncaught|ERROR:CONSOLE|Refused to load|net::ERR_" "$log"; then
    echo "screenshot: console errors for $1 at $2 px"; status=1
  fi
  local size
  size=$(stat -c %s "$png" 2>/dev/null || echo 0)
  # A blank page of this size compresses to a few KB; the report with its charts to far more.
  if [ "$size" -lt 40000 ]; then
    echo "screenshot: $png is missing or blank ($size bytes)"; status=1; return
  fi
  echo "screenshot: $png ($size bytes)"
}
shoot fr 1200 2400
shoot fr 390 3000
shoot en 1200 2400
exit $status
