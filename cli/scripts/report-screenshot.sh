#!/usr/bin/env bash
# Renders a --report page with headless Chromium and saves a screenshot, to check by eye that every panel
# draws (the build checks the page's structure by parsing it; only a browser shows it renders).
#   bash cli/scripts/report-screenshot.sh [REPORT.html] [SHOT.png]
# Without REPORT it makes one of demo size first: 20,000 rows of ten noisy classes in 16 dimensions, 10 labels
# per class, with true labels so the confusion matrix shows. Needs chromium (Debian: apt-get install chromium);
# nothing in the build depends on it.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
    echo "report-screenshot: no chromium on PATH (Debian: apt-get install chromium)" >&2
    exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
report="${1:-}"
shot="$(readlink -f "${2:-report.png}")"
if [[ -z "$report" ]]; then
    awk -v dir="$work" 'BEGIN {
        srand(42); d = 16; classes = 10; n = 20000
        for (c = 0; c < classes; c++) for (t = 0; t < d; t++) centre[c, t] = 6 * (rand() - 0.5)
        for (i = 0; i < n; i++) {
            c = i % classes; line = ""
            for (t = 0; t < d; t++) {
                # Box-Muller: a gaussian from two uniforms.
                g = sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand())
                line = line (t ? "," : "") sprintf("%.4f", centre[c, t] + 1.2 * g)
            }
            print line > (dir "/x.csv")
            print (i < 10 * classes ? c : -1) > (dir "/y.csv")
            print c > (dir "/truth.csv")
        }
    }'
    report="$work/report.html"
    "$root/labelprop" propagate --features "$work/x.csv" --labels "$work/y.csv" --truth "$work/truth.csv" \
        --out "$work/p.csv" --report "$report"
fi
# --no-sandbox: Chromium refuses to start as root otherwise (containers, CI); the page runs no script anyway.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1500 \
    --screenshot="$shot" "file://$(readlink -f "$report")" >/dev/null 2>&1
echo "report-screenshot: $shot" >&2
