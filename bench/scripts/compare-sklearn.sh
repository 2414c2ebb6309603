#!/usr/bin/env bash
# labelprop (exact graph pruned by its lower bound, exact over all pairs, inverted file) and scikit-learn on the
# same Fashion-MNIST split, one after the other on this machine:
#   bash bench/scripts/compare-sklearn.sh [ROWS] [ISA]   (ROWS default all 70,000; needs python3-sklearn)
# ISA: native (default: the widest vectors this CPU has, AVX-512 or AVX2) or avx2 (on an AVX-512 machine:
# the JVM limited to AVX2 with -XX:UseAVX=2 and OpenBLAS forced to its Haswell kernels, so both sides run
# the path of an AVX2 server). Prints both results and one table with the ratios against scikit-learn and
# against NumPy's SGEMM on the same ISA; writes bench-results.json in the current folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rows=${1:-70000}
isa=${2:-native}
case $isa in
    native) jvm_isa=""; blas=$(grep -q avx512f /proc/cpuinfo && echo SkylakeX || echo Haswell) ;;
    avx2) jvm_isa="-XX:UseAVX=2"; blas=Haswell ;;
    *) echo "compare-sklearn.sh: ISA must be native or avx2, got '$isa'" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
JAVA_OPTS="${JAVA_OPTS:-} $jvm_isa" "$root/labelprop" bench fashion-mnist fashion-mnist-all-pairs fashion-mnist-approx --rows "$rows" \
    --json "$tmp/labelprop.json" --labels-out "$tmp/labels.npy"
echo
echo "scikit-learn on the same split (OpenBLAS kernels: $blas):"
env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=$blas /usr/bin/python3 "$root/bench/scripts/sklearn_baseline.py" \
    "$tmp/labels.npy" | tee "$tmp/sklearn.json"
/usr/bin/python3 - "$tmp/labelprop.json" "$tmp/sklearn.json" <<'PY' | tee bench-results.json
import json, sys
lp = json.load(open(sys.argv[1])); sk = json.load(open(sys.argv[2]))
exact, pairs, approx = lp["fashion-mnist"], lp["fashion-mnist-all-pairs"], lp["fashion-mnist-approx"]
# Loading is left out on both sides; so is labelprop's recall estimate, a check scikit-learn does not make.
def total(s): return sum(v for k, v in s.items()
                         if k.endswith("_seconds") and k not in ("load_seconds", "recall_estimate_seconds"))
print(json.dumps({
    "exact_speedup_vs_sklearn": round(sk["label_spreading_total_seconds"] / total(exact), 2),
    "exact_all_pairs_speedup_vs_sklearn": round(sk["label_spreading_total_seconds"] / total(pairs), 2),
    "exact_pruned": "knn_all_pairs_equivalent_GFLOPs" in exact,
    "approx_speedup_vs_sklearn": round(sk["label_spreading_total_seconds"] / total(approx), 2),
    "exact_accuracy_minus_sklearn": round(exact["accuracy"] - sk["accuracy"], 4),
    "approx_accuracy_minus_exact": round(approx["accuracy"] - exact["accuracy"], 4),
    "approx_recall_at_10": approx["recall_at_10"],
    "knn_tile_share_of_numpy_sgemm": round(pairs["knn_GFLOPs"] / sk["numpy_sgemm_GFLOPs"], 3),
    "labelprop": lp, "sklearn": sk}, indent=1))
m = lp["machine"]
rows = [("ISA (JVM)", m.get("isa")), ("labelprop backend", m.get("backend")), ("JDK", m.get("jdk")),
        ("L2 per core (the self-join's blocking)", "%s KB" % m.get("l2_KiB")),
        ("exact (%s): labelprop / scikit-learn" % (
            "pruned by a lower bound" if "knn_all_pairs_equivalent_GFLOPs" in exact else "all pairs"),
         "%.1f s / %.1f s = %.2fx faster" % (
            total(exact), sk["label_spreading_total_seconds"], sk["label_spreading_total_seconds"] / total(exact))),
        ("exact, all pairs: labelprop / scikit-learn", "%.1f s = %.2fx faster" % (
            total(pairs), sk["label_spreading_total_seconds"] / total(pairs))),
        ("exact, all pairs: kNN tiles / NumPy SGEMM", "%.0f / %.0f GFLOP/s = %.0f%%" % (
            pairs["knn_GFLOPs"], sk["numpy_sgemm_GFLOPs"], 100 * pairs["knn_GFLOPs"] / sk["numpy_sgemm_GFLOPs"])),
        ("inverted file: labelprop / scikit-learn", "%.1f s = %.2fx faster, recall@10 %.4f" % (
            total(approx), sk["label_spreading_total_seconds"] / total(approx), approx["recall_at_10"])),
        ("accuracy: exact / exact all pairs / inverted file / scikit-learn", "%.2f%% / %.2f%% / %.2f%% / %.2f%%" % (
            100 * exact["accuracy"], 100 * pairs["accuracy"], 100 * approx["accuracy"], 100 * sk["accuracy"]))]
print("\n| what | figure |\n| --- | --- |", file=sys.stderr)
for k, v in rows:
    print("| %s | %s |" % (k, v), file=sys.stderr)
PY
