// Exact kNN on the GPU: squared norms, distance tiles (from cuBLAS's dot products, or the register-blocked
// tile below, which can also select the first candidates itself) and a per-row top-k merge. Counts that can pass 2^31 (rows x columns of a tile, row offsets) are 64-bit.
#include <climits>
#include <math_constants.h>
#include <mma.h>

using namespace nvcuda;

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

// The squared distance from a dot product and the two squared norms, as the CPU backend computes it.
__device__ __forceinline__ float pair_distance(float dot, float qNorm, float bNorm) {
    return fmaxf(0.f, qNorm + bNorm - 2.f * dot);
}

// pair_distance, or +infinity for a row and itself (global query qi = global base row bj) when excluded.
__device__ __forceinline__ float distance(float dot, float qNorm, float bNorm, long long qi, long long bj, int excludeSelf) {
    return excludeSelf && qi == bj ? CUDART_INF_F : pair_distance(dot, qNorm, bNorm);
}

// In place, after cuBLAS: tile[i * ld + j] = distance(tile[i * ld + j], qn[i], bn[j], ...).
extern "C" __global__ void distance_tile_f32(float* __restrict__ tile, long long ld, int qRows, int bRows,
                                             const float* __restrict__ qn, const float* __restrict__ bn,
                                             long long q0, long long b0, int excludeSelf) {
    long long total = (long long) qRows * bRows;
    for (long long p = (long long) blockIdx.x * blockDim.x + threadIdx.x; p < total;
         p += (long long) gridDim.x * blockDim.x) {
        long long i = p / bRows;
        long long j = p - i * bRows;
        float* cell = tile + i * ld + j;
        *cell = distance(*cell, qn[i], bn[j], q0 + i, b0 + j, excludeSelf);
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

// Row stride of the staged dot products (a multiple of 4 floats, as wmma's stores need).
#define STAGE_LD (T128 + 4)

// The fused kernels' selection: stage holds the dot products of 32 query rows (block rows from i0s) with the
// block's 128 base rows (from j0); each warp takes 4 of the rows and writes, for each, the k best pairs by
// (distance, index) that beat the row's running k-th (listDist/listIndex) into the row's k slots for this
// block (slot blockIdx.x of gridDim.x), padded with (+inf, INT_MAX). Every thread of the block calls it.
__device__ __forceinline__ void select_staged(const float* stage, long long i0s, long long j0, int qRows, int bRows,
                                              const float* __restrict__ qn, const float* __restrict__ bn,
                                              long long q0, long long b0, int excludeSelf, int k,
                                              const float* __restrict__ listDist, const int* __restrict__ listIndex,
                                              float* __restrict__ candDist, int* __restrict__ candIndex) {
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    long long ldc = (long long) gridDim.x * k;
    for (int r = warp * 4; r < warp * 4 + 4; r++) {
        long long i = i0s + r;
        if (i >= qRows) {
            break;
        }
        float boundDist = listDist[i * k + k - 1];
        int boundIndex = listIndex[i * k + k - 1];
        float qi = qn[i];
        float vd[4];
        int vi[4];
#pragma unroll
        for (int m = 0; m < 4; m++) {
            long long j = j0 + lane + 32 * m;
            vd[m] = CUDART_INF_F;
            vi[m] = INT_MAX;
            if (j < bRows) {
                float dd = distance(stage[r * STAGE_LD + lane + 32 * m], qi, bn[j], q0 + i, b0 + j, excludeSelf);
                if (ranks_before(dd, (int) (b0 + j), boundDist, boundIndex)) {
                    vd[m] = dd;
                    vi[m] = (int) (b0 + j);
                }
            }
        }
        float* rowDist = candDist + i * ldc + (long long) blockIdx.x * k;
        int* rowIndex = candIndex + i * ldc + (long long) blockIdx.x * k;
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
    static_assert(32 * STAGE_LD <= 2 * 2 * T128_DEPTH * (T128 + T128_PAD), "the stage fits in the slices' memory");
    float* stage = smem;
    for (int pass = 0; pass < 4; pass++) {
        // Pass p holds tile rows 32p .. 32p + 31: thread rows (u >> 2) == p >> 1 of threads ty in 8 (p & 1) .. + 7.
        if ((ty >> 3) == (pass & 1)) {
#pragma unroll
            for (int u = 0; u < 8; u++) {
                if ((u >> 2) == (pass >> 1)) {
#pragma unroll
                    for (int w = 0; w < 8; w++) {
                        stage[(ROW_OF(u) - pass * 32) * STAGE_LD + COL_OF(w)] = acc[u][w];
                    }
                }
            }
        }
        __syncthreads();
        select_staged(stage, i0 + pass * 32, j0, qRows, bRows, qn, bn, q0, b0, excludeSelf, k, listDist, listIndex,
                      out, outIndex);
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

// ---------------------------------------------------------------------------------------------------------
// Tensor cores without losing exactness (DeviceKnn's TF32 kernel): knn_tile128_tf32 is knn_tile128_f32 with
// the products on tensor cores in TF32 (inputs rounded to 10 mantissa bits, FP32 accumulation) keeping more
// candidates than k; rerank_f32 then recomputes the candidates' distances in FP32 exactly as the FP32
// kernels do and certifies each row whose k-th exact distance is below what any row left out could have.
#define TF_DEPTH 32
#define TF_LD (TF_DEPTH + 4)

// The same contract as knn_tile128_f32, k being the candidate count. 8 warps as 2 x 4, each 64 query rows x
// 32 base rows = 4 x 2 wmma tiles of 16 x 16, over depth slices of 32 staged in shared memory.
extern "C" __global__ void __launch_bounds__(T128_THREADS)
knn_tile128_tf32(const float* __restrict__ q, int qRows, const float* __restrict__ b, int bRows, int d,
                 const float* __restrict__ qn, const float* __restrict__ bn, long long q0, long long b0,
                 int excludeSelf, int k, const float* __restrict__ listDist, const int* __restrict__ listIndex,
                 float* __restrict__ candDist, int* __restrict__ candIndex) {
    __shared__ __align__(32) float smem[2 * T128 * TF_LD];
    float* as = smem;
    float* bs = smem + T128 * TF_LD;
    int warp = threadIdx.x >> 5;
    int wr = warp >> 2;
    int wc = warp & 3;
    long long i0 = (long long) blockIdx.y * T128;
    long long j0 = (long long) blockIdx.x * T128;
    bool vec = d % 4 == 0;
    wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc[4][2];
#pragma unroll
    for (int i = 0; i < 4; i++) {
#pragma unroll
        for (int j = 0; j < 2; j++) {
            wmma::fill_fragment(acc[i][j], 0.f);
        }
    }
    for (int t0 = 0; t0 < d; t0 += TF_DEPTH) {
        // 128 rows x 32 depth of each matrix: thread l loads row l / 8, depth 4 (l % 8) .. + 3, four times.
        for (int l = threadIdx.x; l < T128 * TF_DEPTH / 4; l += T128_THREADS) {
            int r = l >> 3;
            int c = (l & 7) * 4;
            float4 va = make_float4(0.f, 0.f, 0.f, 0.f);
            float4 vb = va;
            int t = t0 + c;
            long long gi = i0 + r;
            long long gj = j0 + r;
            if (vec) {
                if (gi < qRows && t < d) {
                    va = *reinterpret_cast<const float4*>(q + gi * d + t);
                }
                if (gj < bRows && t < d) {
                    vb = *reinterpret_cast<const float4*>(b + gj * d + t);
                }
            } else {
                const float* pa = q + gi * d + t;
                const float* pb = b + gj * d + t;
                bool ra = gi < qRows;
                bool rb = gj < bRows;
                va = make_float4(ra && t < d ? pa[0] : 0.f, ra && t + 1 < d ? pa[1] : 0.f,
                                 ra && t + 2 < d ? pa[2] : 0.f, ra && t + 3 < d ? pa[3] : 0.f);
                vb = make_float4(rb && t < d ? pb[0] : 0.f, rb && t + 1 < d ? pb[1] : 0.f,
                                 rb && t + 2 < d ? pb[2] : 0.f, rb && t + 3 < d ? pb[3] : 0.f);
            }
            *reinterpret_cast<float4*>(as + r * TF_LD + c) = va;
            *reinterpret_cast<float4*>(bs + r * TF_LD + c) = vb;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < TF_DEPTH; kk += 8) {
            wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fa[4];
            wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::col_major> fb[2];
#pragma unroll
            for (int i = 0; i < 4; i++) {
                wmma::load_matrix_sync(fa[i], as + (wr * 64 + i * 16) * TF_LD + kk, TF_LD);
#pragma unroll
                for (int e = 0; e < fa[i].num_elements; e++) {
                    fa[i].x[e] = wmma::__float_to_tf32(fa[i].x[e]);
                }
            }
#pragma unroll
            for (int j = 0; j < 2; j++) {
                wmma::load_matrix_sync(fb[j], bs + (wc * 32 + j * 16) * TF_LD + kk, TF_LD);
#pragma unroll
                for (int e = 0; e < fb[j].num_elements; e++) {
                    fb[j].x[e] = wmma::__float_to_tf32(fb[j].x[e]);
                }
            }
#pragma unroll
            for (int i = 0; i < 4; i++) {
#pragma unroll
                for (int j = 0; j < 2; j++) {
                    wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
                }
            }
        }
        __syncthreads();
    }
    static_assert(32 * STAGE_LD <= 2 * T128 * TF_LD, "the stage fits in the slices' memory");
    float* stage = smem;
#pragma unroll
    for (int pass = 0; pass < 4; pass++) {
        // Pass p holds block rows 32p .. 32p + 31: warp row p / 2, its wmma rows 2 (p % 2) and 2 (p % 2) + 1.
        if (wr == (pass >> 1)) {
#pragma unroll
            for (int i = 0; i < 2; i++) {
#pragma unroll
                for (int j = 0; j < 2; j++) {
                    wmma::store_matrix_sync(stage + i * 16 * STAGE_LD + wc * 32 + j * 16, acc[(pass & 1) * 2 + i][j],
                                            STAGE_LD, wmma::mem_row_major);
                }
            }
        }
        __syncthreads();
        select_staged(stage, i0 + pass * 32, j0, qRows, bRows, qn, bn, q0, b0, excludeSelf, k, listDist, listIndex,
                      candDist, candIndex);
        __syncthreads();
    }
}

// One warp per query row; kc <= 32 candidates per row (candDist/candIndex, kc per row, sorted by their TF32
// distance, padded with (+inf, INT_MAX)). Lane l recomputes candidate l's distance in FP32 with the FP32
// kernels' arithmetic (one fused multiply-add per dimension in order, then distance()), so a certified row's
// list is bit for bit the FP32 kernels' list. The k best by (distance, index) go to outDist/outIndex (k per
// row). certified[row] = 1 when the k-th exact distance is below the kc-th TF32 distance less `slack`, the
// largest amount by which a TF32 distance can undercut the FP32 one of the same pair (computed by the host
// from d, this row's norm and the largest base norm: slack = a |q| bMax + c (|q| + bMax)^2); otherwise some
// base row outside the candidates might belong in the list, and the host recomputes the row in FP32.
extern "C" __global__ void rerank_f32(const float* __restrict__ q, int qRows, int d, const float* __restrict__ base,
                                      const float* __restrict__ qn, const float* __restrict__ bn, long long q0,
                                      int excludeSelf, int kc, const float* __restrict__ candDist,
                                      const int* __restrict__ candIndex, int k, float slackProduct,
                                      float slackSquare, float bMax, float* __restrict__ outDist,
                                      int* __restrict__ outIndex, unsigned char* __restrict__ certified) {
    long long row = ((long long) blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (row >= qRows) {
        return;
    }
    float dist = CUDART_INF_F;
    int idx = lane < kc ? candIndex[row * kc + lane] : INT_MAX;
    if (idx != INT_MAX) {
        if (excludeSelf && q0 + row == idx) {
            dist = CUDART_INF_F; // the tile kernels' value for a row and itself
        } else {
            const float* x = q + row * d;
            const float* y = base + (long long) idx * d;
            float dot = 0.f;
            for (int t = 0; t < d; t++) {
                dot = fmaf(x[t], y[t], dot);
            }
            dist = pair_distance(dot, qn[row], bn[idx]);
        }
    }
    float kth = CUDART_INF_F;
    for (int r = 0; r < k; r++) {
        float bd = dist;
        int bi = idx;
        warp_min_pair(bd, bi);
        if (bi == idx && bi != INT_MAX) {
            dist = CUDART_INF_F;
            idx = INT_MAX;
        }
        if (lane == 0) {
            outDist[row * k + r] = bd;
            outIndex[row * k + r] = bi;
        }
        kth = bd;
    }
    if (lane == 0) {
        float qNorm = sqrtf(qn[row]);
        float slack = slackProduct * qNorm * bMax + slackSquare * (qNorm + bMax) * (qNorm + bMax);
        certified[row] = kth < candDist[row * kc + kc - 1] - slack ? 1 : 0;
    }
}
