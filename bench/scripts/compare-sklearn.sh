#!/usr/bin/env bash
# labelprop and scikit-learn on the same Fashion-MNIST split, one after the other on this machine:
#   bash bench/scripts/compare-sklearn.sh [ROWS]      (default all 70,000; needs python3-sklearn)
# Prints both results and the ratios; writes bench-results.json in the current folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rows=${1:-70000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/labelprop" bench fashion-mnist fashion-mnist-approx --rows "$rows" --json "$tmp/labelprop.json" \
    --labels-out "$tmp/labels.npy"
echo
echo "scikit-learn on the same split:"
/usr/bin/python3 "$root/bench/scripts/sklearn_baseline.py" "$tmp/labels.npy" | tee "$tmp/sklearn.json"
/usr/bin/python3 - "$tmp/labelprop.json" "$tmp/sklearn.json" <<'PY' | tee bench-results.json
import json, sys
lp = json.load(open(sys.argv[1])); sk = json.load(open(sys.argv[2]))
exact, approx = lp["fashion-mnist"], lp["fashion-mnist-approx"]
# Loading is left out on both sides; so is labelprop's recall estimate, a check scikit-learn does not make.
def total(s): return sum(v for k, v in s.items()
                         if k.endswith("_seconds") and k not in ("load_seconds", "recall_estimate_seconds"))
print(json.dumps({
    "exact_speedup_vs_sklearn": round(sk["label_spreading_total_seconds"] / total(exact), 2),
    "approx_speedup_vs_sklearn": round(sk["label_spreading_total_seconds"] / total(approx), 2),
    "exact_accuracy_minus_sklearn": round(exact["accuracy"] - sk["accuracy"], 4),
    "approx_accuracy_minus_exact": round(approx["accuracy"] - exact["accuracy"], 4),
    "approx_recall_at_10": approx["recall_at_10"],
    "knn_tile_share_of_numpy_sgemm": round(exact["knn_GFLOPs"] / sk["numpy_sgemm_GFLOPs"], 3),
    "labelprop": lp, "sklearn": sk}, indent=1))
PY
