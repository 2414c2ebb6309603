// The card's own ceilings, measured by the benchmarks beside the kernels they bound (nothing in a fit runs
// this): read bandwidth from memory and from L2, and L2's rate for scattered 32-byte sectors.

// Each thread sums float4s strided by the grid, `passes` times over the buffer (n4 float4s); one float per
// thread goes out so the reads cannot be dropped. Bytes read: passes x n4 x 16. With viaL2 the loads skip
// L1 (ld.global.cg): a buffer L2 holds, read again, then measures L2 and not the multiprocessors' L1s.
extern "C" __global__ void read_probe_f32(const float4* __restrict__ buf, long long n4, int passes, int viaL2,
                                          float* __restrict__ out) {
    long long stride = (long long) gridDim.x * blockDim.x;
    long long t = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    float s = 0.f;
    for (int p = 0; p < passes; p++) {
        for (long long i = t; i < n4; i += stride) {
            float4 v = viaL2 ? __ldcg(buf + i) : buf[i];
            s += v.x + v.y + v.z + v.w;
        }
    }
    out[t] = s;
}

// Each thread reads `reads` 16-byte pieces of 32-byte sectors chosen by a xorshift generator among
// `sectors` sectors of buf, past L1: the rate of the scattered reads a propagation step's gathers make.
extern "C" __global__ void gather_probe_f32(const float4* __restrict__ buf, unsigned sectors, int reads,
                                            float* __restrict__ out) {
    long long t = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    unsigned x = (unsigned) t * 2654435761u + 12345u;
    float s = 0.f;
    for (int r = 0; r < reads; r++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        float4 v = __ldcg(buf + 2ull * (x % sectors));
        s += v.x + v.w;
    }
    out[t] = s;
}
