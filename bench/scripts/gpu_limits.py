"""The GPU's own limits, for the ratios in docs/benchmarks.md: FP32 SGEMM through cuBLAS (TF32 off, as the
cuda backend's distances need) on the kNN tile's shape and on a large square, and device memory bandwidth
as a device-to-device copy (bytes read + written). Needs PyTorch with CUDA; run on the GPU host:
    python3 bench/scripts/gpu_limits.py [DIM]
"""
import sys

import torch

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False


def timed(fn, reps=20):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / 1e3 / reps


def sgemm(m, n, k):
    a = torch.randn(m, k, device="cuda")
    b = torch.randn(k, n, device="cuda")
    s = timed(lambda: a @ b)
    print(f"sgemm fp32 {m} x {n} x {k}: {s * 1e3:.3f} ms, {2 * m * n * k / s / 1e12:.1f} TFLOP/s")


def copy_bandwidth(nbytes=2 << 30):
    src = torch.empty(nbytes // 4, dtype=torch.float32, device="cuda")
    dst = torch.empty_like(src)
    s = timed(lambda: dst.copy_(src))
    print(f"device copy {nbytes >> 20} MiB: {2 * nbytes / s / 1e9:.0f} GB/s (read + written)")


if __name__ == "__main__":
    dim = int(sys.argv[1]) if len(sys.argv) > 1 else 128
    print(torch.cuda.get_device_name(), "torch", torch.__version__)
    sgemm(4096, 16384, dim)
    sgemm(4096, 16384, 784)
    sgemm(8192, 8192, 8192)
    copy_bandwidth()
