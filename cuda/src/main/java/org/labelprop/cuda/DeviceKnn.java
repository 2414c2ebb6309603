package org.labelprop.cuda;

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
        FUSED;

        /** The property's value: cublas, tile128 or fused. */
        static Kernel parse(String value) {
            for (Kernel kernel : values()) {
                if (kernel.name().equalsIgnoreCase(value)) {
                    return kernel;
                }
            }
            throw new InvalidOptionException(KERNEL_PROPERTY, "must be cublas, tile128 or fused, got '" + value + "'");
        }
    }

    /** System property that picks the {@link Kernel} (by name, any case) in place of the default. */
    static final String KERNEL_PROPERTY = "labelprop.cuda.knn";
    /** FUSED_K_MAX in knn.cu. */
    static final int FUSED_K_MAX = 32;
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

    Neighbors nearest(FloatMatrix base, FloatMatrix queries, int k, boolean excludeSelf, Progress progress) {
        int nb = base.rows();
        int nq = queries.rows();
        int d = base.cols();
        int[] index = new int[FloatMatrix.checkSize(nq, k, "neighbour list")];
        float[] dist = new float[index.length];
        Kernel how = kernel == Kernel.FUSED && k > FUSED_K_MAX ? Kernel.TILE128 : kernel;
        Plan plan = plan(nb, nq, d, k, how);
        progress.start("kNN graph (cuda, " + (how == Kernel.CUBLAS ? "cuBLAS" : "own kernel") + ")", nq);
        try (DeviceBuffer baseAll = plan.resident ? dev.alloc(4L * nb * d, "base rows") : null;
                DeviceBuffer baseNormAll = plan.resident ? dev.alloc(4L * nb, "base norms") : null;
                DeviceBuffer baseTile = plan.resident ? null : dev.alloc(4L * plan.tile * d, "base tile");
                DeviceBuffer baseTileNorm = plan.resident ? null : dev.alloc(4L * plan.tile, "base tile norms");
                DeviceBuffer qRows = dev.alloc(4L * plan.block * d, "query rows");
                DeviceBuffer qNorm = dev.alloc(4L * plan.block, "query norms");
                DeviceBuffer tile = dev.alloc(4L * plan.block * tileCols(plan.tile, k, how), "distance tile");
                DeviceBuffer tileIndex = how == Kernel.FUSED
                        ? dev.alloc(4L * plan.block * tileCols(plan.tile, k, how), "candidate indices") : null;
                DeviceBuffer listDist = dev.alloc(4L * plan.block * k, "top-k distances");
                DeviceBuffer listIndex = dev.alloc(4L * plan.block * k, "top-k indices")) {
            if (plan.resident) {
                baseAll.upload(Pointer.to(base.data()), 4L * nb * d);
                norms(baseAll.ptr, nb, d, baseNormAll.ptr);
            }
            for (int q0 = 0; q0 < nq; q0 += plan.block) {
                int qn = Math.min(plan.block, nq - q0);
                qRows.upload(Pointer.to(queries.data()).withByteOffset(4L * q0 * d), 4L * qn * d);
                norms(qRows.ptr, qn, d, qNorm.ptr);
                listDist.fill32(INF_BITS, (long) qn * k);
                listIndex.fill32(Integer.MAX_VALUE, (long) qn * k);
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
                    int cols = tileCols(bn, k, how);
                    switch (how) {
                        case CUBLAS -> {
                            // Column-major view: the row-major tile is C = B Q^T (bn x qn); B row-major is B^T
                            // column-major.
                            dev.cublas().sgemm(Cublas.OP_T, Cublas.OP_N, bn, qn, d, 1f, bRows, d, qRows.ptr, d, 0f,
                                    tile.ptr, bn);
                            long cells = (long) qn * bn;
                            dev.launch("distance_tile_f32", Math.min((cells + THREADS - 1) / THREADS, 1 << 20), 1,
                                    THREADS, new KernelArgs().ptr(tile).i64(bn).i32(qn).i32(bn).ptr(qNorm).ptr(bNorm)
                                            .i64(q0).i64(b0).i32(self));
                        }
                        case TILE128 -> dev.launch("distance_tile128_f32", (bn + T128 - 1) / T128, (qn + T128 - 1) / T128,
                                THREADS, new KernelArgs().ptr(qRows).i32(qn).ptr(bRows).i32(bn).i32(d).ptr(tile).i64(bn)
                                        .ptr(qNorm).ptr(bNorm).i64(q0).i64(b0).i32(self));
                        case FUSED -> dev.launch("knn_tile128_f32", (bn + T128 - 1) / T128, (qn + T128 - 1) / T128,
                                THREADS, new KernelArgs().ptr(qRows).i32(qn).ptr(bRows).i32(bn).i32(d).ptr(qNorm)
                                        .ptr(bNorm).i64(q0).i64(b0).i32(self).i32(k).ptr(listDist).ptr(listIndex)
                                        .ptr(tile).ptr(tileIndex));
                    }
                    KernelArgs merge = new KernelArgs().ptr(tile);
                    merge = tileIndex == null ? merge.nullPtr() : merge.ptr(tileIndex);
                    dev.launch("topk_merge_f32", ((long) qn + WARPS - 1) / WARPS, 1, THREADS,
                            merge.i64(cols).i32(qn).i32(cols).i64(b0).i32(k).ptr(listDist).ptr(listIndex));
                }
                listDist.download(Pointer.to(dist).withByteOffset(4L * q0 * k), 4L * qn * k);
                listIndex.download(Pointer.to(index).withByteOffset(4L * q0 * k), 4L * qn * k);
                progress.advance(qn);
            }
        }
        progress.finish();
        return new Neighbors(nq, k, index, dist);
    }

    private void norms(CUdeviceptr rows, int n, int d, CUdeviceptr out) {
        dev.launch("sq_norms_f32", ((long) n + WARPS - 1) / WARPS, 1, THREADS,
                new KernelArgs().ptr(rows).i64(n).i32(d).ptr(out));
    }

    /** Columns of the tile a block of base rows needs: one per base row, or FUSED's k per 128 of them. */
    private static int tileCols(int baseRows, int k, Kernel how) {
        return how == Kernel.FUSED ? (baseRows + T128 - 1) / T128 * k : baseRows;
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

    /** Query rows and norms, the distance tile (FUSED: candidates and their indices) and the running lists. */
    private static long working(int block, int tile, int d, int k, Kernel how) {
        long tileBytes = 4L * block * tileCols(tile, k, how) * (how == Kernel.FUSED ? 2 : 1);
        return 4L * block * (d + 1) + tileBytes + 8L * block * k;
    }
}
