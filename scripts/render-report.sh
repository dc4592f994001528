#!/usr/bin/env bash
# Renders a Graft HTML report in headless Chromium and checks that the screenshot is not blank and that the
# report's five parts are in the rendered DOM. Usage: scripts/render-report.sh report.html [screenshot.png]
# Needs Debian's chromium (apt-get install -y chromium); not part of the test suite.
set -euo pipefail
html=$(realpath "$1")
png=${2:-${html%.html}.png}
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$(mktemp -d)")
chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$png" "file://$html" >/dev/null 2>&1
dom=$(chromium "${flags[@]}" --dump-dom "file://$html" 2>/dev/null)
for part in curves confusion per-class misclassified settings; do
  grep -q "<section id=\"$part\"" <<<"$dom" || { echo "render-report: part '$part' missing from the rendered page" >&2; exit 1; }
done
# Not blank: a real report has thousands of non-white pixels (charts, heat map, thumbnails).
/usr/bin/python3 - "$png" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
w, h = im.size
dark = sum(1 for p in im.getdata() if sum(p) < 600)
print(f"render-report: {sys.argv[1]} {w}x{h}, {dark} non-white pixels")
sys.exit(0 if dark > 5000 else 1)
PY
echo "render-report: all five parts rendered"
