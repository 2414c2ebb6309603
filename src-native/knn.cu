// Exact kNN on the GPU: squared norms, dot-product tiles (when cuBLAS is missing), distance tiles and a
// per-row top-k merge. Counts that can pass 2^31 (rows x columns of a tile, row offsets) are 64-bit.
#include <climits>
#include <math_constants.h>

// One warp per row; double accumulation like the CPU backend's norms, so |x|^2 carries no extra error.
extern "C" __global__ void sq_norms_f32(const float* __restrict__ x, long long rows, int d,
                                        float* __restrict__ out) {
    long long row = ((long long) blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (row >= rows) {
        return;
    }
    const float* r = x + row * d;
    double s = 0;
    for (int t = lane; t < d; t += 32) {
        double v = r[t];
        s += v * v;
    }
    for (int o = 16; o > 0; o >>= 1) {
        s += __shfl_down_sync(0xffffffffu, s, o);
    }
    if (lane == 0) {
        out[row] = (float) s;
    }
}

#define DOT_TILE 64
#define DOT_DEPTH 16

// out[i * ldo + j] = q_i . b_j for i < qRows, j < bRows (rows of length d, row-major): the fallback for
// cuBLAS SGEMM. 256 threads per 64 x 64 output tile, each thread 4 x 4 outputs from shared-memory slices.
extern "C" __global__ void dot_tile_f32(const float* __restrict__ q, int qRows, const float* __restrict__ b,
                                        int bRows, int d, float* __restrict__ out, long long ldo) {
    __shared__ float qs[DOT_DEPTH][DOT_TILE + 1];
    __shared__ float bs[DOT_DEPTH][DOT_TILE + 1];
    int tx = threadIdx.x & 15;
    int ty = threadIdx.x >> 4;
    long long i0 = (long long) blockIdx.y * DOT_TILE;
    long long j0 = (long long) blockIdx.x * DOT_TILE;
    float acc[4][4] = {};
    for (int t0 = 0; t0 < d; t0 += DOT_DEPTH) {
        for (int l = threadIdx.x; l < DOT_TILE * DOT_DEPTH; l += blockDim.x) {
            int r = l / DOT_DEPTH;
            int c = l % DOT_DEPTH;
            int t = t0 + c;
            long long gi = i0 + r;
            long long gj = j0 + r;
            qs[c][r] = gi < qRows && t < d ? q[gi * d + t] : 0.f;
            bs[c][r] = gj < bRows && t < d ? b[gj * d + t] : 0.f;
        }
        __syncthreads();
        for (int c = 0; c < DOT_DEPTH; c++) {
            float a[4];
            float v[4];
            for (int u = 0; u < 4; u++) {
                a[u] = qs[c][ty + 16 * u];
                v[u] = bs[c][tx + 16 * u];
            }
            for (int u = 0; u < 4; u++) {
                for (int w = 0; w < 4; w++) {
                    acc[u][w] += a[u] * v[w];
                }
            }
        }
        __syncthreads();
    }
    for (int u = 0; u < 4; u++) {
        long long i = i0 + ty + 16 * u;
        for (int w = 0; w < 4; w++) {
            long long j = j0 + tx + 16 * w;
            if (i < qRows && j < bRows) {
                out[i * ldo + j] = acc[u][w];
            }
        }
    }
}

// In place: tile[i * ld + j] = max(0, qn[i] + bn[j] - 2 tile[i * ld + j]), the formula of the CPU backend;
// the pair of a row with itself (global query q0 + i = global base b0 + j) becomes +infinity.
extern "C" __global__ void distance_tile_f32(float* __restrict__ tile, long long ld, int qRows, int bRows,
                                             const float* __restrict__ qn, const float* __restrict__ bn,
                                             long long q0, long long b0, int excludeSelf) {
    long long total = (long long) qRows * bRows;
    for (long long p = (long long) blockIdx.x * blockDim.x + threadIdx.x; p < total;
         p += (long long) gridDim.x * blockDim.x) {
        long long i = p / bRows;
        long long j = p - i * bRows;
        float* cell = tile + i * ld + j;
        float dd = fmaxf(0.f, qn[i] + bn[j] - 2.f * *cell);
        *cell = excludeSelf && q0 + i == b0 + j ? CUDART_INF_F : dd;
    }
}

#define TOPK_MAX 128

// (d1, i1) ranks before (d2, i2): by distance, ties by lower index, as TopK does on the CPU.
__device__ __forceinline__ bool ranks_before(float d1, int i1, float d2, int i2) {
    return d1 < d2 || (d1 == d2 && i1 < i2);
}

// Keeps a lane's list (ascending, at most k) of the best pairs it has seen.
__device__ __forceinline__ void lane_offer(float* ld, int* li, int& m, int k, float d, int idx) {
    if (m == k && !ranks_before(d, idx, ld[k - 1], li[k - 1])) {
        return;
    }
    int p = m < k ? m++ : k - 1;
    while (p > 0 && ranks_before(d, idx, ld[p - 1], li[p - 1])) {
        ld[p] = ld[p - 1];
        li[p] = li[p - 1];
        p--;
    }
    ld[p] = d;
    li[p] = idx;
}

// One warp per query row: merges the row's running list (k pairs sorted by (distance, index); empty slots
// are (+inf, INT_MAX)) with the row's bRows candidates of a distance tile, whose column j is base row
// b0 + j. Each lane keeps its own sorted list of the candidates it scanned, then the warp pops the k best
// heads. k <= TOPK_MAX; candidates not better than the running k-th are skipped without a look at a list.
extern "C" __global__ void topk_merge_f32(const float* __restrict__ tile, long long ld, int qRows, int bRows,
                                          long long b0, int k, float* __restrict__ listDist,
                                          int* __restrict__ listIndex) {
    long long row = ((long long) blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (row >= qRows) {
        return;
    }
    float* rowDist = listDist + row * k;
    int* rowIndex = listIndex + row * k;
    float myDist[TOPK_MAX];
    int myIndex[TOPK_MAX];
    int m = 0;
    for (int p = lane; p < k; p += 32) {
        lane_offer(myDist, myIndex, m, k, rowDist[p], rowIndex[p]);
    }
    float boundDist = rowDist[k - 1];
    int boundIndex = rowIndex[k - 1];
    const float* cand = tile + row * ld;
    for (int j = lane; j < bRows; j += 32) {
        float d = cand[j];
        int idx = (int) (b0 + j);
        if (ranks_before(d, idx, boundDist, boundIndex)) {
            lane_offer(myDist, myIndex, m, k, d, idx);
        }
    }
    __syncwarp();
    int head = 0;
    for (int r = 0; r < k; r++) {
        float d = head < m ? myDist[head] : CUDART_INF_F;
        int idx = head < m ? myIndex[head] : INT_MAX;
        for (int o = 16; o > 0; o >>= 1) {
            float od = __shfl_xor_sync(0xffffffffu, d, o);
            int oi = __shfl_xor_sync(0xffffffffu, idx, o);
            if (ranks_before(od, oi, d, idx)) {
                d = od;
                idx = oi;
            }
        }
        // Indices are unique across lanes, so exactly one lane owns the winner (none when all are empty).
        if (head < m && myIndex[head] == idx && idx != INT_MAX) {
            head++;
        }
        if (lane == 0) {
            rowDist[r] = d;
            rowIndex[r] = idx;
        }
    }
}
