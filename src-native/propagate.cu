// One propagation step as StepRule documents it:
//   next_i = alpha * (G Y)_i + beta * Y0_i;  clamped rows: next_i = Y0_i;
//   else with normalize: next_i /= sum(next_i) unless the sum is 0;
//   else with momentum != 1: next_i = momentum * next_i + (1 - momentum) * P_i, where P, the iterate before Y,
//   is what next holds when the step starts (each thread reads the entries it then writes; StepRule forbids
//   momentum with normalize, so the blended value is final);
// and sums[0] += sum |next - Y|, sums[1] += sum |next| (change and mass), read back once per step.
// One warp per row; Y is row-major rows x classes. Row offsets and element offsets are 64-bit.

// Lanes hold CLASSES_PER_LANE classes each in registers: 128 classes per tile of a row.
#define CLASSES_PER_LANE 4
#define CLASS_TILE (32 * CLASSES_PER_LANE)
#define MAX_WARPS 32

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, o);
    }
    return v;
}

__device__ __forceinline__ double warp_sum(double v) {
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, o);
    }
    return v;
}

// Adds the block's change and mass into sums with one atomic each; every thread of the block calls it.
__device__ void block_add(double change, double mass, double* sums) {
    __shared__ double part[2][MAX_WARPS];
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    change = warp_sum(change);
    mass = warp_sum(mass);
    if (lane == 0) {
        part[0][warp] = change;
        part[1][warp] = mass;
    }
    __syncthreads();
    if (warp == 0) {
        int warps = blockDim.x >> 5;
        change = lane < warps ? part[0][lane] : 0.0;
        mass = lane < warps ? part[1][lane] : 0.0;
        change = warp_sum(change);
        mass = warp_sum(mass);
        if (lane == 0) {
            atomicAdd(sums, change);
            atomicAdd(sums + 1, mass);
        }
    }
}

// The fused step: CSR SpMM over the device-resident graph, the update, normalization and residual in one
// pass. One tile of classes stays in registers; with more tiles, unnormalized values go to next and a
// second pass over the row scales them.
extern "C" __global__ void propagate_step_f32(long long rows, int classes, const long long* __restrict__ rowPtr,
                                              const int* __restrict__ col, const float* __restrict__ weight,
                                              const float* __restrict__ y, const float* __restrict__ y0,
                                              float* __restrict__ next, const unsigned char* __restrict__ clamped,
                                              float alpha, float beta, int normalize, float momentum,
                                              double* __restrict__ sums) {
    long long row = ((long long) blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    double change = 0;
    double mass = 0;
    if (row < rows) {
        long long o = row * classes;
        bool clamp = clamped != nullptr && clamped[row];
        long long e0 = rowPtr[row];
        long long e1 = rowPtr[row + 1];
        int tiles = (classes + CLASS_TILE - 1) / CLASS_TILE;
        float v[CLASSES_PER_LANE];
        float rowSum = 0;
        for (int t = 0; t < tiles; t++) {
            int k0 = t * CLASS_TILE + lane;
            for (int u = 0; u < CLASSES_PER_LANE; u++) {
                v[u] = 0.f;
            }
            if (!clamp) {
                for (long long e = e0; e < e1; e++) {
                    const float* yj = y + (long long) col[e] * classes;
                    float w = weight[e];
                    for (int u = 0; u < CLASSES_PER_LANE; u++) {
                        int k = k0 + 32 * u;
                        if (k < classes) {
                            v[u] += w * yj[k];
                        }
                    }
                }
            }
            for (int u = 0; u < CLASSES_PER_LANE; u++) {
                int k = k0 + 32 * u;
                if (k < classes) {
                    v[u] = clamp ? y0[o + k] : alpha * v[u] + beta * y0[o + k];
                    if (!clamp && momentum != 1.f) {
                        v[u] = momentum * v[u] + (1.f - momentum) * next[o + k];
                    }
                    rowSum += v[u];
                    if (tiles > 1) {
                        next[o + k] = v[u];
                    }
                }
            }
        }
        rowSum = warp_sum(rowSum);
        float scale = normalize && !clamp && rowSum != 0.f ? 1.f / rowSum : 1.f;
        if (tiles == 1) {
            for (int u = 0; u < CLASSES_PER_LANE; u++) {
                int k = lane + 32 * u;
                if (k < classes) {
                    float x = v[u] * scale;
                    next[o + k] = x;
                    change += fabsf(x - y[o + k]);
                    mass += fabsf(x);
                }
            }
        } else {
            // Each lane rereads only what it wrote itself, so no synchronization is needed.
            for (int k = lane; k < classes; k += 32) {
                float x = next[o + k] * scale;
                next[o + k] = x;
                change += fabsf(x - y[o + k]);
                mass += fabsf(x);
            }
        }
    }
    block_add(change, mass, sums);
}

// The same update for the cuSPARSE path, where next already holds G Y: applied in place, row by row. With
// momentum the SpMM itself blends in the iterate before Y (see CusparsePropagator), so this kernel has none.
extern "C" __global__ void step_update_f32(long long rows, int classes, const float* __restrict__ y,
                                           const float* __restrict__ y0, float* __restrict__ next,
                                           const unsigned char* __restrict__ clamped, float alpha, float beta,
                                           int normalize, double* __restrict__ sums) {
    long long row = ((long long) blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    double change = 0;
    double mass = 0;
    if (row < rows) {
        long long o = row * classes;
        bool clamp = clamped != nullptr && clamped[row];
        float rowSum = 0;
        for (int k = lane; k < classes; k += 32) {
            rowSum += clamp ? y0[o + k] : alpha * next[o + k] + beta * y0[o + k];
        }
        rowSum = warp_sum(rowSum);
        float scale = normalize && !clamp && rowSum != 0.f ? 1.f / rowSum : 1.f;
        for (int k = lane; k < classes; k += 32) {
            float x = (clamp ? y0[o + k] : alpha * next[o + k] + beta * y0[o + k]) * scale;
            next[o + k] = x;
            change += fabsf(x - y[o + k]);
            mass += fabsf(x);
        }
    }
    block_add(change, mass, sums);
}

// The fused step for at most 16 classes, where propagate_step_f32 leaves most of a warp idle (10 of 32 lanes
// for 10 classes) and walks a row's edges one at a time. Here a warp still owns one row, but its lanes form
// slots = 32 / classes groups of `classes` lanes; slot s gathers edges e0 + s, e0 + s + slots, ... (two
// at a time, for more loads in flight), and the slots' partial sums are added in slot order by shuffles.
// The same rule and sums as propagate_step_f32; only the order of the additions differs.
extern "C" __global__ void propagate_step_slots_f32(long long rows, int classes, const long long* __restrict__ rowPtr,
                                                    const int* __restrict__ col, const float* __restrict__ weight,
                                                    const float* __restrict__ y, const float* __restrict__ y0,
                                                    float* __restrict__ next,
                                                    const unsigned char* __restrict__ clamped, float alpha,
                                                    float beta, int normalize, float momentum,
                                                    double* __restrict__ sums) {
    long long row = ((long long) blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    int slots = 32 / classes;
    int slot = lane / classes;
    int k = lane - slot * classes;
    double change = 0;
    double mass = 0;
    if (row < rows) {
        long long o = row * classes;
        bool clamp = clamped != nullptr && clamped[row];
        float acc = 0.f;
        if (!clamp && slot < slots) {
            long long e1 = rowPtr[row + 1];
            long long e = rowPtr[row] + slot;
            float acc2 = 0.f;
            for (; e + slots < e1; e += 2 * slots) {
                int c0 = col[e];
                int c1 = col[e + slots];
                float w0 = weight[e];
                float w1 = weight[e + slots];
                acc = fmaf(w0, y[(long long) c0 * classes + k], acc);
                acc2 = fmaf(w1, y[(long long) c1 * classes + k], acc2);
            }
            if (e < e1) {
                acc = fmaf(weight[e], y[(long long) col[e] * classes + k], acc);
            }
            acc += acc2;
        }
        // Lanes k < classes (slot 0) collect the other slots' sums; a source lane past the last slot is
        // never read by them (k + s * classes < slots * classes <= 32).
        for (int s = 1; s < slots; s++) {
            float other = __shfl_sync(0xffffffffu, acc, (k + s * classes) & 31);
            if (slot == 0) {
                acc += other;
            }
        }
        float x = 0.f;
        if (slot == 0) {
            x = clamp ? y0[o + k] : alpha * acc + beta * y0[o + k];
            if (!clamp && momentum != 1.f) {
                x = momentum * x + (1.f - momentum) * next[o + k];
            }
        }
        float rowSum = warp_sum(x);
        float scale = normalize && !clamp && rowSum != 0.f ? 1.f / rowSum : 1.f;
        if (slot == 0) {
            x *= scale;
            next[o + k] = x;
            change = fabsf(x - y[o + k]);
            mass = fabsf(x);
        }
    }
    block_add(change, mass, sums);
}
