// Exact kNN on the GPU: squared norms, distance tiles (from cuBLAS's dot products, or the register-blocked
// tile below, which can also select the first candidates itself) and a per-row top-k merge. Counts that can pass 2^31 (rows x columns of a tile, row offsets) are 64-bit.
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

// In place, after cuBLAS: tile[i * ld + j] = max(0, qn[i] + bn[j] - 2 tile[i * ld + j]), the CPU backend's formula;
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

// Every lane of the warp ends with the warp's first pair in that order.
__device__ __forceinline__ void warp_min_pair(float& d, int& idx) {
    for (int o = 16; o > 0; o >>= 1) {
        float od = __shfl_xor_sync(0xffffffffu, d, o);
        int oi = __shfl_xor_sync(0xffffffffu, idx, o);
        if (ranks_before(od, oi, d, idx)) {
            d = od;
            idx = oi;
        }
    }
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
// b0 + j, or tileIndex's entry at the same place where tileIndex is given (knn_tile128_f32's candidates).
// Each lane keeps its own sorted list of the candidates it scanned, then the warp pops the k best
// heads. k <= TOPK_MAX; candidates not better than the running k-th are skipped without a look at a list.
extern "C" __global__ void topk_merge_f32(const float* __restrict__ tile, const int* __restrict__ tileIndex,
                                          long long ld, int qRows, int bRows,
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
    const int* candIndex = tileIndex == nullptr ? nullptr : tileIndex + row * ld;
    for (int j = lane; j < bRows; j += 32) {
        float d = cand[j];
        int idx = candIndex == nullptr ? (int) (b0 + j) : candIndex[j];
        if (ranks_before(d, idx, boundDist, boundIndex)) {
            lane_offer(myDist, myIndex, m, k, d, idx);
        }
    }
    __syncwarp();
    int head = 0;
    for (int r = 0; r < k; r++) {
        float d = head < m ? myDist[head] : CUDART_INF_F;
        int idx = head < m ? myIndex[head] : INT_MAX;
        warp_min_pair(d, idx);
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

// ---------------------------------------------------------------------------------------------------------
// The register-blocked tile: 128 query rows x 128 base rows per block of 256 threads, each thread 8 x 8
// outputs, the depth walked 8 at a time through double-buffered shared memory (the next slice is read
// from global memory while the current one is multiplied). The epilogue either writes the dot products
// (TILE_DOTS, to compare with SGEMM), or the distances (TILE_DISTANCES, the formula of distance_tile_f32),
// or never lets the distances leave the chip (TILE_TOPK): for each query row, the block's best k of its
// 128 base rows that beat the row's running k-th, in (distance, index) order, padded with (+inf, INT_MAX).
#define T128 128
#define T128_DEPTH 8
#define T128_PAD 4
#define T128_THREADS 256
// Largest k of the fused epilogue (one warp round per neighbour); larger k takes the distance-tile path.
#define FUSED_K_MAX 32
#define TILE_DOTS 0
#define TILE_DISTANCES 1
#define TILE_TOPK 2

// Thread t holds row t / 2, depth columns t0 + 4 (t % 2) .. + 3 of a 128 x 8 slice; outside the matrix, 0.
__device__ __forceinline__ float4 slice_load(const float* __restrict__ m, long long r0, int rows, int d, int t0,
                                             bool vec) {
    long long r = r0 + (threadIdx.x >> 1);
    int t = t0 + (threadIdx.x & 1) * 4;
    float4 v = make_float4(0.f, 0.f, 0.f, 0.f);
    if (r < rows) {
        const float* p = m + r * d + t;
        if (vec) {
            // d % 4 == 0: the four are inside the row together or not at all, and 16-byte aligned.
            if (t < d) {
                v = *reinterpret_cast<const float4*>(p);
            }
        } else {
            v.x = t < d ? p[0] : 0.f;
            v.y = t + 1 < d ? p[1] : 0.f;
            v.z = t + 2 < d ? p[2] : 0.f;
            v.w = t + 3 < d ? p[3] : 0.f;
        }
    }
    return v;
}

// Transposed into shared memory: s[depth][row]. The pad of 4 puts the two depth halves of a warp's rows on
// different banks.
__device__ __forceinline__ void slice_store(float (*s)[T128 + T128_PAD], float4 v) {
    int r = threadIdx.x >> 1;
    int c = (threadIdx.x & 1) * 4;
    s[c][r] = v.x;
    s[c + 1][r] = v.y;
    s[c + 2][r] = v.z;
    s[c + 3][r] = v.w;
}

// The formula of distance_tile_f32 for one pair.
__device__ __forceinline__ float distance(float dot, float qNorm, float bNorm, long long qi, long long bj, int excludeSelf) {
    return excludeSelf && qi == bj ? CUDART_INF_F : fmaxf(0.f, qNorm + bNorm - 2.f * dot);
}

template <int MODE>
__device__ __forceinline__ void tile128(const float* __restrict__ q, int qRows, const float* __restrict__ b, int bRows,
                                        int d, float* __restrict__ out, long long ldo, const float* __restrict__ qn,
                                        const float* __restrict__ bn, long long q0, long long b0, int excludeSelf,
                                        int k, const float* __restrict__ listDist, const int* __restrict__ listIndex,
                                        int* __restrict__ outIndex) {
    // The slices during the product; afterwards, in the TILE_TOPK epilogue, 32 rows of distances.
    __shared__ __align__(16) float smem[2 * 2 * T128_DEPTH * (T128 + T128_PAD)];
    auto as = reinterpret_cast<float (*)[T128_DEPTH][T128 + T128_PAD]>(smem);
    auto bs = reinterpret_cast<float (*)[T128_DEPTH][T128 + T128_PAD]>(smem + 2 * T128_DEPTH * (T128 + T128_PAD));
    bool vec = d % 4 == 0;
    int tx = threadIdx.x & 15;
    int ty = threadIdx.x >> 4;
    long long i0 = (long long) blockIdx.y * T128;
    long long j0 = (long long) blockIdx.x * T128;
    float acc[8][8];
    for (int u = 0; u < 8; u++) {
        for (int w = 0; w < 8; w++) {
            acc[u][w] = 0.f;
        }
    }
    float4 ra = slice_load(q, i0, qRows, d, 0, vec);
    float4 rb = slice_load(b, j0, bRows, d, 0, vec);
    slice_store(as[0], ra);
    slice_store(bs[0], rb);
    __syncthreads();
    int buf = 0;
    for (int t0 = 0; t0 < d; t0 += T128_DEPTH) {
        bool more = t0 + T128_DEPTH < d;
        if (more) {
            ra = slice_load(q, i0, qRows, d, t0 + T128_DEPTH, vec);
            rb = slice_load(b, j0, bRows, d, t0 + T128_DEPTH, vec);
        }
#pragma unroll
        for (int c = 0; c < T128_DEPTH; c++) {
            float4 a0 = *reinterpret_cast<const float4*>(&as[buf][c][ty * 4]);
            float4 a1 = *reinterpret_cast<const float4*>(&as[buf][c][64 + ty * 4]);
            float4 v0 = *reinterpret_cast<const float4*>(&bs[buf][c][tx * 4]);
            float4 v1 = *reinterpret_cast<const float4*>(&bs[buf][c][64 + tx * 4]);
            float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            float v[8] = {v0.x, v0.y, v0.z, v0.w, v1.x, v1.y, v1.z, v1.w};
#pragma unroll
            for (int u = 0; u < 8; u++) {
#pragma unroll
                for (int w = 0; w < 8; w++) {
                    acc[u][w] = fmaf(a[u], v[w], acc[u][w]);
                }
            }
        }
        if (more) {
            // The other buffer was last read before the previous barrier.
            slice_store(as[buf ^ 1], ra);
            slice_store(bs[buf ^ 1], rb);
        }
        __syncthreads();
        buf ^= 1;
    }
    // Output u of this thread is tile row i0 + row_of(u), output w tile column j0 + col_of(w).
#define ROW_OF(u) (((u) >> 2) * 64 + ty * 4 + ((u) & 3))
#define COL_OF(w) (((w) >> 2) * 64 + tx * 4 + ((w) & 3))
    if (MODE != TILE_TOPK) {
#pragma unroll
        for (int u = 0; u < 8; u++) {
            long long i = i0 + ROW_OF(u);
            if (i >= qRows) {
                continue;
            }
#pragma unroll
            for (int w = 0; w < 8; w++) {
                long long j = j0 + COL_OF(w);
                if (j < bRows) {
                    out[i * ldo + j] = MODE == TILE_DOTS ? acc[u][w] : distance(acc[u][w], qn[i], bn[j], q0 + i, b0 + j, excludeSelf);
                }
            }
        }
        return;
    }
    // TILE_TOPK: 32 tile rows at a time through shared memory, one warp per row for the selection.
    static_assert(32 * (T128 + 1) <= 2 * 2 * T128_DEPTH * (T128 + T128_PAD), "the stage fits in the slices' memory");
    auto stage = reinterpret_cast<float (*)[T128 + 1]>(smem);
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    long long ldc = (long long) gridDim.x * k;
    for (int pass = 0; pass < 4; pass++) {
        // Pass p holds tile rows 32p .. 32p + 31: thread rows (u >> 2) == p >> 1 of threads ty in 8 (p & 1) .. + 7.
        if ((ty >> 3) == (pass & 1)) {
#pragma unroll
            for (int u = 0; u < 8; u++) {
                if ((u >> 2) == (pass >> 1)) {
                    int r = ROW_OF(u) - pass * 32;
                    long long i = i0 + ROW_OF(u);
                    float qi = i < qRows ? qn[i] : 0.f;
#pragma unroll
                    for (int w = 0; w < 8; w++) {
                        long long j = j0 + COL_OF(w);
                        stage[r][COL_OF(w)] = distance(acc[u][w], qi, j < bRows ? bn[j] : 0.f, q0 + i, b0 + j, excludeSelf);
                    }
                }
            }
        }
        __syncthreads();
        for (int r = warp * 4; r < warp * 4 + 4; r++) {
            long long i = i0 + pass * 32 + r;
            if (i >= qRows) {
                break;
            }
            float boundDist = listDist[i * k + k - 1];
            int boundIndex = listIndex[i * k + k - 1];
            float vd[4];
            int vi[4];
#pragma unroll
            for (int m = 0; m < 4; m++) {
                long long j = j0 + lane + 32 * m;
                vd[m] = stage[r][lane + 32 * m];
                vi[m] = j < bRows ? (int) (b0 + j) : INT_MAX;
                if (j >= bRows || !ranks_before(vd[m], vi[m], boundDist, boundIndex)) {
                    vd[m] = CUDART_INF_F;
                    vi[m] = INT_MAX;
                }
            }
            float* rowDist = out + i * ldc + (long long) blockIdx.x * k;
            int* rowIndex = outIndex + i * ldc + (long long) blockIdx.x * k;
            int found = 0;
            for (; found < k; found++) {
                float bd = vd[0];
                int bi = vi[0];
#pragma unroll
                for (int m = 1; m < 4; m++) {
                    if (ranks_before(vd[m], vi[m], bd, bi)) {
                        bd = vd[m];
                        bi = vi[m];
                    }
                }
                warp_min_pair(bd, bi);
                if (bi == INT_MAX) {
                    break; // every lane agrees: nothing left that beats the bound
                }
#pragma unroll
                for (int m = 0; m < 4; m++) {
                    if (vi[m] == bi) { // indices are unique: one lane, one slot
                        vd[m] = CUDART_INF_F;
                        vi[m] = INT_MAX;
                    }
                }
                if (lane == 0) {
                    rowDist[found] = bd;
                    rowIndex[found] = bi;
                }
            }
            for (int p = found + lane; p < k; p += 32) {
                rowDist[p] = CUDART_INF_F;
                rowIndex[p] = INT_MAX;
            }
        }
        __syncthreads();
    }
#undef ROW_OF
#undef COL_OF
}

// out (qRows x bRows, leading dimension ldo) = Q B^T, as SGEMM would: for comparing the tile with cuBLAS.
extern "C" __global__ void __launch_bounds__(T128_THREADS, 2)
dot_tile128_f32(const float* __restrict__ q, int qRows, const float* __restrict__ b, int bRows, int d,
                float* __restrict__ out, long long ldo) {
    tile128<TILE_DOTS>(q, qRows, b, bRows, d, out, ldo, nullptr, nullptr, 0, 0, 0, 0, nullptr, nullptr, nullptr);
}

// The distance tile of distance_tile_f32 in one pass: no dot-product tile in between.
extern "C" __global__ void __launch_bounds__(T128_THREADS, 2)
distance_tile128_f32(const float* __restrict__ q, int qRows, const float* __restrict__ b, int bRows, int d,
                     float* __restrict__ out, long long ldo, const float* __restrict__ qn,
                     const float* __restrict__ bn, long long q0, long long b0, int excludeSelf) {
    tile128<TILE_DISTANCES>(q, qRows, b, bRows, d, out, ldo, qn, bn, q0, b0, excludeSelf, 0, nullptr, nullptr,
                            nullptr);
}

// Fused distances and selection: candDist/candIndex (qRows x gridDim.x * k) receive, per query row and
// block of 128 base rows, the k best pairs that beat the row's running k-th (listDist/listIndex, as
// topk_merge_f32 keeps them), padded with (+inf, INT_MAX). topk_merge_f32 then merges them into the lists.
extern "C" __global__ void __launch_bounds__(T128_THREADS, 2)
knn_tile128_f32(const float* __restrict__ q, int qRows, const float* __restrict__ b, int bRows, int d,
                const float* __restrict__ qn, const float* __restrict__ bn, long long q0, long long b0,
                int excludeSelf, int k, const float* __restrict__ listDist, const int* __restrict__ listIndex,
                float* __restrict__ candDist, int* __restrict__ candIndex) {
    tile128<TILE_TOPK>(q, qRows, b, bRows, d, candDist, 0, qn, bn, q0, b0, excludeSelf, k, listDist, listIndex,
                       candIndex);
}
