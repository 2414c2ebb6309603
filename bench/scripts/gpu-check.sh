#!/usr/bin/env bash
# The whole GPU verification in one short run (issue 13), on a GPU host with no JDK: the project packed here
# with `bash bench/scripts/gpu-pack.sh` (it fills .device/), then on the GPU host, from the project root:
#   bash bench/scripts/gpu-check.sh
# (gpu-pack.sh trims ../shared/device/pack.sh's output to the jars this script runs: 59 MiB.)
# Steps, most telling first: the probe; `labelprop info` (which cuBLAS binding loaded, its version); SGEMM
# through each cuBLAS binding that loads against the CPU (CublasGpuTest); the cuda tests; the kNN tests
# again with the JNA binding forced onto libcublas.so.13; DeviceKernelBenchmark (the card's read bandwidths,
# the own tile kernels against cuBLAS SGEMM and TF32, kNN with every kernel, the step kernels against
# cuSPARSE and the L2-gather roofline); the end-to-end scenarios clusters-1m-exact and sbm-10m; the card's
# own SGEMM and copy rates (gpu_limits.py, where PyTorch is there). The JMH classes CudaStepBenchmark and
# KnnBenchmark still run by hand (bash .device/run.sh java org.openjdk.jmh.Main ...). Each step has a time cap and
# the run stops starting steps when the budget (GPU_CHECK_BUDGET_S, default 450 s of an 8-minute slot)
# is spent; GPU_CHECK_SCENARIOS replaces the end-to-end scenarios. One table at the end; each step's full output is in the log folder ($OUT/gpu-check where the
# device runner sets OUT, else /tmp/gpu-check). Without a GPU the steps that need none still run (the
# tests skip with their reasons) and the rest are listed as "no GPU". Exit status 1 when a step failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [[ ! -f .device/run.sh ]]; then
  echo "gpu-check: no .device/ here; pack the project first with: bash bench/scripts/gpu-pack.sh" >&2
  exit 2
fi
logs=${GPU_CHECK_LOGS:-${OUT:-/tmp}/gpu-check}
mkdir -p "$logs"
budget=${GPU_CHECK_BUDGET_S:-450}
start=$SECONDS
rows=()
failed=0
run=(bash .device/run.sh)
# JUnit's console launcher: plain text for the summary's greps; no jqwik engine (no cuda test uses it, and
# its run database, configured relative to a module's folder, fails the engine when run from the root).
tests=(tests --disable-ansi-colors --exclude-engine=jqwik)

row() {
  local result=$4
  [[ $2 == "no time" ]] && result="not started: the budget of ${budget} s was spent"
  rows+=("$(printf '%-44s | %-8s | %6s | %s' "$1" "$2" "$3" "$result")")
}

# step NAME CAP_S LOG COMMAND...: runs COMMAND with its output in LOG, unless the budget is spent.
step() {
  local name=$1 cap=$2 log=$logs/$3; shift 3
  local left=$((budget - (SECONDS - start)))
  if ((left < 10)); then
    echo "skipped: the time budget of ${budget} s was spent" >"$log"
    last_status="no time" last_seconds=""; return 0
  fi
  ((cap > left)) && cap=$left
  echo "gpu-check: $name (at most ${cap} s, log $log)" >&2
  local t0=$SECONDS
  timeout --kill-after=10 "$cap" "$@" >"$log" 2>&1
  local rc=$?
  last_seconds=$((SECONDS - t0))
  if ((rc == 124 || rc == 137)); then
    last_status="TIMEOUT"; failed=1
  elif ((rc != 0)); then
    last_status="FAILED"; failed=1
  else
    last_status="ok"
  fi
  return 0
}

# JUnit's console summary as "P passed, F failed, S skipped" (skipped: assumptions such as no GPU).
junit_counts() {
  awk '/tests successful/ {p=$2} /tests failed/ {f=$2} /tests aborted/ {a=$2} /tests skipped/ {s=$2}
       END {printf "%d passed, %d failed, %d skipped", p, f, a + s}' "$1"
}

# 1. What is there.
step "probe" 60 probe.log "${run[@]}" probe
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)
row "probe" "$last_status" "$last_seconds" "${gpu:-no GPU (nvidia-smi found none)}; $(grep -c 'libcublas.so' "$logs/probe.log") libcublas files"
step "labelprop info" 60 info.log "${run[@]}" java org.labelprop.cli.Main info
cuda_line=$(grep -E '^  cuda ' "$logs/info.log" | head -1 | sed 's/^  cuda *//')
blas=$(grep -oE 'cuBLAS .*own distance kernel|cuBLAS [^,]*' <<<"$cuda_line" | head -1)
row "labelprop info" "$last_status" "$last_seconds" "${blas:-${cuda_line:-no cuda line}}"

# 2. Tests; without a GPU they run and skip with their reasons.
step "cuBLAS bindings: SGEMM vs CPU" 90 cublas.log "${run[@]}" "${tests[@]}" --select-class org.labelprop.cuda.CublasGpuTest
for b in JCublas2 JNA; do
  ok=$(grep -E "^$b: SGEMM matches" "$logs/cublas.log" | head -1)
  why=$(grep -oE "$b does not load here: .*|no GPU here: .*" "$logs/cublas.log" | head -1)
  if [[ -n $ok ]]; then
    row "  $b" ok "" "$ok"
  elif [[ -n $why ]]; then
    row "  $b" skipped "" "$why"
  else
    row "  $b" "$last_status" "" "failed or did not run: see cublas.log"
  fi
done
row "cuBLAS bindings: SGEMM vs CPU" "$last_status" "$last_seconds" "$(junit_counts "$logs/cublas.log")"
step "cuda tests" 180 cuda-tests.log "${run[@]}" "${tests[@]}" --select-package org.labelprop.cuda
row "cuda tests" "$last_status" "$last_seconds" "$(junit_counts "$logs/cuda-tests.log")"

if [[ -z $gpu ]]; then
  echo "gpu-check: no GPU: $(grep -m1 -oE 'no GPU here: .*' "$logs/cuda-tests.log" || echo 'nvidia-smi found none')" >&2
  for s in "kNN tests, JNA on libcublas.so.13" "labelprop info, JNA on libcublas.so.13" \
           "DeviceKernelBenchmark" "e2e clusters-1m-exact sbm-10m" "gpu_limits.py"; do
    row "$s" "no GPU" "" "not run"
  done
else
  # kNN through DeviceKnn with the JNA binding even where JCublas2 would load first: the kNN tests only.
  knn_tests=(--select-class org.labelprop.cuda.CudaBackendTest
             --include-methodname '.*(exactGraph|streamedBase|largeK|queryAgainst).*')
  if [[ $blas == *"JNA (libcublas.so.13)"* ]]; then
    row "kNN tests, JNA on libcublas.so.13" "skipped" "" "the cuda tests above ran JNA on .13 already"
  else
    JAVA_TOOL_OPTIONS=-Dlabelprop.cublas.library=libcublas.so.13 \
      step "kNN tests, JNA on libcublas.so.13" 90 cuda-tests-jna.log \
      "${run[@]}" "${tests[@]}" "${knn_tests[@]}"
    row "kNN tests, JNA on libcublas.so.13" "$last_status" "$last_seconds" "$(junit_counts "$logs/cuda-tests-jna.log")"
    JAVA_TOOL_OPTIONS=-Dlabelprop.cublas.library=libcublas.so.13 \
      step "labelprop info, JNA on libcublas.so.13" 60 info-jna.log "${run[@]}" java org.labelprop.cli.Main info
    row "labelprop info, JNA on libcublas.so.13" "$last_status" "$last_seconds" \
      "$(grep -E '^  cuda ' "$logs/info-jna.log" | grep -oE 'cuBLAS .*own distance kernel|cuBLAS [^,]*' | head -1)"
  fi

  # 3. Kernel benchmarks: the card's read bandwidths, the tile kernels against SGEMM (and TF32), kNN with every
  # kernel (recall against the first), the step kernels against cuSPARSE and the L2-gather roofline.
  step "DeviceKernelBenchmark" 240 kernels.log "${run[@]}" java org.labelprop.cuda.DeviceKernelBenchmark
  row "DeviceKernelBenchmark" "$last_status" "$last_seconds" "figures below"
  while read -r l; do row "  $l" "" "" ""; done < <(grep -E '^(limits|tiles|knn|step|reordering|  )' "$logs/kernels.log" | cut -c1-240)

  # 4. End to end: every stage's time as the runner prints it.
  read -ra scenarios <<<"${GPU_CHECK_SCENARIOS:-clusters-1m-exact sbm-10m}"
  step "e2e ${scenarios[*]}" 200 e2e.log "${run[@]}" java org.labelprop.cli.Main bench \
    "${scenarios[@]}" --backend cuda --json "$logs/e2e.json"
  row "e2e ${scenarios[*]}" "$last_status" "$last_seconds" "stages below"
  while read -r l; do row "  $l" "" "" ""; done < <(awk '/^(clusters-1m-exact|sbm-10m)$/ {s=$0; next}
    s && /^  [^ ].* s   / {sub(/^  /, ""); gsub(/  +/, " "); print s ": " $0}' "$logs/e2e.log")

  # 5. The card's own limits, for the ratios in docs/benchmarks.md.
  if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
    step "gpu_limits.py" 60 gpu-limits.log python3 bench/scripts/gpu_limits.py
    row "gpu_limits.py" "$last_status" "$last_seconds" "$(tr '\n' ';' <"$logs/gpu-limits.log" | cut -c1-160)"
  else
    row "gpu_limits.py" "skipped" "" "no PyTorch with CUDA here"
  fi
fi

echo
echo "gpu-check summary ($((SECONDS - start)) s of a ${budget} s budget; logs in $logs)"
printf '%-44s | %-8s | %6s | %s\n' step status s result
printf '%s\n' "--------------------------------------------------------------------------------------------------"
printf '%s\n' "${rows[@]}"
exit $failed
