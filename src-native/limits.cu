// The card's own ceilings, measured by the benchmarks beside the kernels they bound (nothing in a fit runs
// this): read bandwidth from memory, and from the L2 cache when the buffer fits in it.

// Each thread sums float4s strided by the grid, `passes` times over the buffer (n4 float4s); one float per
// thread goes out so the reads cannot be dropped. Bytes read: passes x n4 x 16.
extern "C" __global__ void read_probe_f32(const float4* __restrict__ buf, long long n4, int passes,
                                          float* __restrict__ out) {
    long long stride = (long long) gridDim.x * blockDim.x;
    long long t = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    float s = 0.f;
    for (int p = 0; p < passes; p++) {
        for (long long i = t; i < n4; i += stride) {
            float4 v = buf[i];
            s += v.x + v.y + v.z + v.w;
        }
    }
    out[t] = s;
}
