#!/usr/bin/env bash
# Compiles every src-native/*.cu into resources of the cuda module: NAME.ptx (compute_80, JIT-compiled by the
# driver on any GPU from Ampere on) and NAME.fatbin (machine code for sm_80 and sm_90, loaded without JIT).
# Run by Maven at generate-resources with the output folder as argument. Without nvcc on the PATH it says so
# in one line and succeeds: the cuda backend then reports that its kernels were not built.
# Outputs newer than their source and this script are kept, so repeated builds cost nothing.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTPUT_FOLDER}
if ! command -v nvcc >/dev/null 2>&1; then
  echo "labelprop: nvcc not on the PATH; CUDA kernels not built (the cuda backend will be unavailable)"
  exit 0
fi
mkdir -p "$out"
for cu in "$src"/*.cu; do
  name=$(basename "$cu" .cu)
  ptx=$out/$name.ptx
  fatbin=$out/$name.fatbin
  if [[ $ptx -nt $cu && $fatbin -nt $cu && $ptx -nt $0 && $fatbin -nt $0 ]]; then
    continue
  fi
  echo "labelprop: nvcc $name.cu -> $name.ptx, $name.fatbin"
  nvcc -O3 -std=c++17 -ptx -arch=compute_80 -o "$ptx.tmp" "$cu"
  nvcc -O3 -std=c++17 -fatbin -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
    -o "$fatbin.tmp" "$cu"
  mv "$ptx.tmp" "$ptx"
  mv "$fatbin.tmp" "$fatbin"
done
