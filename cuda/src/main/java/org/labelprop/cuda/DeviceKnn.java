package org.labelprop.cuda;

import java.util.stream.IntStream;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Progress;
import org.labelprop.core.graph.Neighbors;

/**
 * Exact kNN on the device, one block of query rows at a time: for each tile of base rows, distances
 * |q|^2 - 2 q.b + |b|^2 and a top-k merge into the block's running lists, by one of the {@link Kernel}s.
 * The base stays on the device when it fits in half the free memory and is streamed tile by tile
 * otherwise, so inputs larger than the card's memory still run.
 */
final class DeviceKnn {
    /** How a tile's distances are computed and reach the merge. */
    enum Kernel {
        /** cuBLAS SGEMM into a dot-product tile, distance_tile_f32 in place, topk_merge_f32 over the tile. */
        CUBLAS,
        /** distance_tile128_f32 (register-blocked 128 x 128) writes the distance tile in one pass; merge. */
        TILE128,
        /**
         * knn_tile128_f32: distances and a first selection in one kernel, so only each 128-row block's best
         * k per query row (those beating the running k-th) reach memory; merged by topk_merge_f32. For
         * k <= {@value #FUSED_K_MAX}; larger k runs as TILE128.
         */
        FUSED,
        /**
         * knn_tile128_tf32: as FUSED with the products on tensor cores in TF32, keeping
         * {@value #TF32_CANDIDATES} candidates per row; rerank_f32 recomputes their distances in FP32 with
         * FUSED's arithmetic and certifies each row whose k-th distance no row left out can undercut (the
         * TF32 error bound below); rows it cannot certify run again as FUSED. The graph is therefore FUSED's,
         * bit for bit. For k <= {@value #TF32_K_MAX} and a base that stays on the device; otherwise FUSED.
         */
        TF32;

        /** The property's value: cublas, tile128, fused or tf32. */
        static Kernel parse(String value) {
            for (Kernel kernel : values()) {
                if (kernel.name().equalsIgnoreCase(value)) {
                    return kernel;
                }
            }
            throw new InvalidOptionException(KERNEL_PROPERTY, "must be cublas, tile128, fused or tf32, got '" + value + "'");
        }
    }

    /** System property that picks the {@link Kernel} (by name, any case) in place of the default. */
    static final String KERNEL_PROPERTY = "labelprop.cuda.knn";
    /** FUSED_K_MAX in knn.cu. */
    static final int FUSED_K_MAX = 32;
    /** Candidates per row of the TF32 pass (at most a warp's lanes: rerank_f32 gives each its own). */
    static final int TF32_CANDIDATES = 32;
    /** Largest k of the TF32 pass: at least 8 candidates beyond the k-th keep most rows certifiable. */
    static final int TF32_K_MAX = 24;
    /**
     * The TF32 error bound. Rounding both inputs to TF32 (11 significant bits) moves a product by at most
     * (2^-10 + 2^-22) |q_t b_t|; the tensor cores' FP32 sums and the FP32 kernels' sums add at most
     * d 2^-22 and d 2^-24 of sum |q_t b_t| <= |q| |b|; the distance doubles the dot product's error, and
     * its two FP32 additions can round apart by 2^-22 (|q| + |b|)^2. A margin of 1.5 over that:
     * slack = 3 (2^-10 + 2^-22 + d (2^-22 + 2^-24)) |q| bMax + 1.5 2^-22 (|q| + bMax)^2.
     */
    static float slackProduct(int d) {
        return (float) (3 * (Math.scalb(1.0, -10) + Math.scalb(1.0, -22) + d * (Math.scalb(1.0, -22) + Math.scalb(1.0, -24))));
    }

    static final float SLACK_SQUARE = (float) (1.5 * Math.scalb(1.0, -22));
    /** Base rows per block of the 128 x 128 kernels. */
    private static final int T128 = 128;
    /** Query rows per block and base rows per tile: a 4096 x 16384 distance tile is 256 MiB. */
    static final int QUERY_BLOCK = 4096;
    static final int BASE_TILE = 16384;
    /** Smallest blocks tried before giving up with the bytes needed. */
    private static final int MIN_BLOCK = 64;
    private static final int THREADS = 256;
    private static final int WARPS = THREADS / 32;
    private static final int INF_BITS = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);

    private final CudaDevice dev;
    private final Kernel kernel;
    private final int queryBlock;
    private final int baseTile;
    private final boolean streamBase;
    /** Query rows the TF32 kernel could not certify and FUSED recomputed, since this object was made. */
    private long recomputedRows;

    /** @param kernel CUBLAS falls back to FUSED where libcublas did not load */
    DeviceKnn(CudaDevice dev, Kernel kernel) {
        this(dev, kernel, QUERY_BLOCK, BASE_TILE, false);
    }

    /** Smaller blocks and a streamed base let tests cover partial tiles and the streaming path on small inputs. */
    DeviceKnn(CudaDevice dev, Kernel kernel, int queryBlock, int baseTile, boolean streamBase) {
        this.dev = dev;
        this.kernel = kernel == Kernel.CUBLAS && dev.cublas() == null ? Kernel.FUSED : kernel;
        this.queryBlock = queryBlock;
        this.baseTile = baseTile;
        this.streamBase = streamBase;
    }

    /** Query rows the TF32 kernel left to FUSED so far (for benchmarks and tests). */
    long recomputedRows() {
        return recomputedRows;
    }

    Neighbors nearest(FloatMatrix base, FloatMatrix queries, int k, boolean excludeSelf, Progress progress) {
        int nb = base.rows();
        int nq = queries.rows();
        int d = base.cols();
        int[] index = new int[FloatMatrix.checkSize(nq, k, "neighbour list")];
        float[] dist = new float[index.length];
        Kernel how = kernel == Kernel.TF32 && k > TF32_K_MAX ? Kernel.FUSED : kernel;
        how = how == Kernel.FUSED && k > FUSED_K_MAX ? Kernel.TILE128 : how;
        Plan plan = plan(nb, nq, d, k, how);
        if (how == Kernel.TF32 && !plan.resident) {
            how = Kernel.FUSED; // rerank_f32 reads candidate rows anywhere in the base
            plan = plan(nb, nq, d, k, how);
        }
        // Running lists of `list` pairs per row: k, or the TF32 pass's candidates.
        int list = how == Kernel.TF32 ? TF32_CANDIDATES : k;
        boolean[] certified = how == Kernel.TF32 ? new boolean[nq] : null;
        // A self-join reads its queries from the resident base instead of uploading them again.
        boolean queriesInBase = queries == base && plan.resident;
        progress.start("kNN graph (cuda, " + (how == Kernel.CUBLAS ? "cuBLAS" : how == Kernel.TF32
                ? "TF32 tensor cores, FP32 re-rank" : "own kernel") + ")", nq);
        try (DeviceBuffer baseAll = plan.resident ? dev.alloc(4L * nb * d, "base rows") : null;
                DeviceBuffer baseNormAll = plan.resident ? dev.alloc(4L * nb, "base norms") : null;
                DeviceBuffer baseTile = plan.resident ? null : dev.alloc(4L * plan.tile * d, "base tile");
                DeviceBuffer baseTileNorm = plan.resident ? null : dev.alloc(4L * plan.tile, "base tile norms");
                DeviceBuffer qRowsBuf = queriesInBase ? null : dev.alloc(4L * plan.block * d, "query rows");
                DeviceBuffer qNormBuf = queriesInBase ? null : dev.alloc(4L * plan.block, "query norms");
                DeviceBuffer tile = dev.alloc(4L * plan.block * tileCols(plan.tile, list, how), "distance tile");
                DeviceBuffer tileIndex = how == Kernel.FUSED || how == Kernel.TF32
                        ? dev.alloc(4L * plan.block * tileCols(plan.tile, list, how), "candidate indices") : null;
                DeviceBuffer listDist = dev.alloc(4L * plan.block * list, "top-k distances");
                DeviceBuffer listIndex = dev.alloc(4L * plan.block * list, "top-k indices");
                DeviceBuffer outDist = how == Kernel.TF32 ? dev.alloc(4L * plan.block * k, "re-ranked distances") : null;
                DeviceBuffer outIndex = how == Kernel.TF32 ? dev.alloc(4L * plan.block * k, "re-ranked indices") : null;
                DeviceBuffer flags = how == Kernel.TF32 ? dev.alloc(plan.block, "certified rows") : null) {
            float bMax = 0;
            if (plan.resident) {
                baseAll.upload(Pointer.to(base.data()), 4L * nb * d);
                norms(baseAll.ptr, nb, d, baseNormAll.ptr);
                if (how == Kernel.TF32) {
                    bMax = largestNorm(baseNormAll, nb);
                }
            }
            byte[] blockFlags = how == Kernel.TF32 ? new byte[plan.block] : null;
            for (int q0 = 0; q0 < nq; q0 += plan.block) {
                int qn = Math.min(plan.block, nq - q0);
                CUdeviceptr qRows;
                CUdeviceptr qNorm;
                if (queriesInBase) {
                    qRows = baseAll.at(4L * q0 * d);
                    qNorm = baseNormAll.at(4L * q0);
                } else {
                    qRowsBuf.upload(Pointer.to(queries.data()).withByteOffset(4L * q0 * d), 4L * qn * d);
                    norms(qRowsBuf.ptr, qn, d, qNormBuf.ptr);
                    qRows = qRowsBuf.ptr;
                    qNorm = qNormBuf.ptr;
                }
                listDist.fill32(INF_BITS, (long) qn * list);
                listIndex.fill32(Integer.MAX_VALUE, (long) qn * list);
                for (int b0 = 0; b0 < nb; b0 += plan.tile) {
                    int bn = Math.min(plan.tile, nb - b0);
                    CUdeviceptr bRows;
                    CUdeviceptr bNorm;
                    if (plan.resident) {
                        bRows = baseAll.at(4L * b0 * d);
                        bNorm = baseNormAll.at(4L * b0);
                    } else {
                        baseTile.upload(Pointer.to(base.data()).withByteOffset(4L * b0 * d), 4L * bn * d);
                        norms(baseTile.ptr, bn, d, baseTileNorm.ptr);
                        bRows = baseTile.ptr;
                        bNorm = baseTileNorm.ptr;
                    }
                    int self = excludeSelf ? 1 : 0;
                    int cols = tileCols(bn, list, how);
                    switch (how) {
                        case CUBLAS -> {
                            // Column-major view: the row-major tile is C = B Q^T (bn x qn); B row-major is B^T
                            // column-major.
                            dev.cublas().sgemm(Cublas.OP_T, Cublas.OP_N, bn, qn, d, 1f, bRows, d, qRows, d, 0f,
                                    tile.ptr, bn);
                            long cells = (long) qn * bn;
                            dev.launch("distance_tile_f32", Math.min((cells + THREADS - 1) / THREADS, 1 << 20), 1,
                                    THREADS, new KernelArgs().ptr(tile).i64(bn).i32(qn).i32(bn).ptr(qNorm).ptr(bNorm)
                                            .i64(q0).i64(b0).i32(self));
                        }
                        case TILE128 -> dev.launch("distance_tile128_f32", (bn + T128 - 1) / T128, (qn + T128 - 1) / T128,
                                THREADS, new KernelArgs().ptr(qRows).i32(qn).ptr(bRows).i32(bn).i32(d).ptr(tile).i64(bn)
                                        .ptr(qNorm).ptr(bNorm).i64(q0).i64(b0).i32(self));
                        case FUSED, TF32 -> dev.launch(how == Kernel.FUSED ? "knn_tile128_f32" : "knn_tile128_tf32",
                                (bn + T128 - 1) / T128, (qn + T128 - 1) / T128, THREADS, new KernelArgs().ptr(qRows)
                                        .i32(qn).ptr(bRows).i32(bn).i32(d).ptr(qNorm).ptr(bNorm).i64(q0).i64(b0)
                                        .i32(self).i32(list).ptr(listDist).ptr(listIndex).ptr(tile).ptr(tileIndex));
                    }
                    KernelArgs merge = new KernelArgs().ptr(tile);
                    merge = tileIndex == null ? merge.nullPtr() : merge.ptr(tileIndex);
                    dev.launch("topk_merge_f32", ((long) qn + WARPS - 1) / WARPS, 1, THREADS,
                            merge.i64(cols).i32(qn).i32(cols).i64(b0).i32(list).ptr(listDist).ptr(listIndex));
                }
                DeviceBuffer resultDist = listDist;
                DeviceBuffer resultIndex = listIndex;
                if (how == Kernel.TF32) {
                    dev.launch("rerank_f32", ((long) qn + WARPS - 1) / WARPS, 1, THREADS, new KernelArgs().ptr(qRows)
                            .i32(qn).i32(d).ptr(baseAll).ptr(qNorm).ptr(baseNormAll).i64(q0).i32(excludeSelf ? 1 : 0)
                            .i32(list).ptr(listDist).ptr(listIndex).i32(k).f32(slackProduct(d)).f32(SLACK_SQUARE)
                            .f32(bMax).ptr(outDist).ptr(outIndex).ptr(flags));
                    flags.download(Pointer.to(blockFlags), qn);
                    for (int i = 0; i < qn; i++) {
                        certified[q0 + i] = blockFlags[i] != 0;
                    }
                    resultDist = outDist;
                    resultIndex = outIndex;
                }
                resultDist.download(Pointer.to(dist).withByteOffset(4L * q0 * k), 4L * qn * k);
                resultIndex.download(Pointer.to(index).withByteOffset(4L * q0 * k), 4L * qn * k);
                progress.advance(qn);
            }
        }
        if (certified != null) {
            recomputeUncertified(base, queries, k, excludeSelf, certified, index, dist);
        }
        progress.finish();
        return new Neighbors(nq, k, index, dist);
    }

    /** The largest row norm (not squared) of n squared norms on the device. */
    private static float largestNorm(DeviceBuffer squaredNorms, int n) {
        float[] h = new float[n];
        squaredNorms.download(Pointer.to(h), 4L * n);
        float max = 0;
        for (float v : h) {
            max = Math.max(max, v);
        }
        return (float) Math.sqrt(max);
    }

    /**
     * Rows the TF32 pass could not certify, searched again with FUSED. Without the self-exclusion (the
     * rows are no longer numbered as in the base), asking one neighbour more and dropping the row itself by
     * index gives the same list: FUSED's arithmetic does not depend on how the rows are blocked.
     */
    private void recomputeUncertified(FloatMatrix base, FloatMatrix queries, int k, boolean excludeSelf,
                                      boolean[] certified, int[] index, float[] dist) {
        int[] redo = IntStream.range(0, certified.length).filter(i -> !certified[i]).toArray();
        if (redo.length == 0) {
            return;
        }
        recomputedRows += redo.length;
        int d = queries.cols();
        float[] rows = new float[FloatMatrix.checkSize(redo.length, d, "recomputed query rows")];
        for (int r = 0; r < redo.length; r++) {
            System.arraycopy(queries.data(), redo[r] * d, rows, r * d, d);
        }
        int kk = excludeSelf ? k + 1 : k;
        Neighbors again = new DeviceKnn(dev, Kernel.FUSED, queryBlock, baseTile, streamBase)
                .nearest(base, new FloatMatrix(redo.length, d, rows), kk, false, Progress.NONE);
        for (int r = 0; r < redo.length; r++) {
            int row = redo[r];
            int w = 0;
            for (int x = 0; x < kk && w < k; x++) {
                int j = again.index()[r * kk + x];
                if (excludeSelf && j == row) {
                    continue;
                }
                index[row * k + w] = j;
                dist[row * k + w] = again.distance()[r * kk + x];
                w++;
            }
            // Where the row itself is not among the kk, its list is their first k.
        }
    }

    private void norms(CUdeviceptr rows, int n, int d, CUdeviceptr out) {
        dev.launch("sq_norms_f32", ((long) n + WARPS - 1) / WARPS, 1, THREADS,
                new KernelArgs().ptr(rows).i64(n).i32(d).ptr(out));
    }

    /** Columns of the tile a block of base rows needs: one per base row, or the fused kernels' k per 128. */
    private static int tileCols(int baseRows, int k, Kernel how) {
        return how == Kernel.FUSED || how == Kernel.TF32 ? (baseRows + T128 - 1) / T128 * k : baseRows;
    }

    /** Block and tile sizes, and whether the base stays on the device, for the memory free now. */
    private record Plan(int block, int tile, boolean resident) {
    }

    private Plan plan(int nb, int nq, int d, int k, Kernel how) {
        long budget = dev.memory()[0] * 8 / 10;
        int block = Math.min(queryBlock, nq);
        int tile = Math.min(baseTile, nb);
        long baseBytes = 4L * nb * (d + 1);
        if (!streamBase && baseBytes <= budget / 2 && baseBytes + working(block, tile, d, k, how) <= budget) {
            return new Plan(block, tile, true);
        }
        while (4L * tile * (d + 1) + working(block, tile, d, k, how) > budget && (block > MIN_BLOCK || tile > MIN_BLOCK)) {
            if (tile >= block && tile > MIN_BLOCK) {
                tile /= 2;
            } else {
                block /= 2;
            }
        }
        long need = 4L * tile * (d + 1) + working(block, tile, d, k, how);
        if (need > budget) {
            throw new CudaFailure("kNN on the GPU needs at least " + need + " bytes of device memory for " + block
                    + " query rows x " + tile + " base rows of " + d + " dimensions; " + budget
                    + " bytes are usable (80% of free)");
        }
        return new Plan(block, tile, false);
    }

    /**
     * Query rows and norms, the distance tile (the fused kernels: candidates and their indices), the running
     * lists, and TF32's re-ranked lists and flags.
     */
    private static long working(int block, int tile, int d, int k, Kernel how) {
        boolean fused = how == Kernel.FUSED || how == Kernel.TF32;
        int list = how == Kernel.TF32 ? TF32_CANDIDATES : k;
        long tileBytes = 4L * block * tileCols(tile, list, how) * (fused ? 2 : 1);
        long rerank = how == Kernel.TF32 ? 8L * block * k + block : 0;
        return 4L * block * (d + 1) + tileBytes + 8L * block * list + rerank;
    }
}
