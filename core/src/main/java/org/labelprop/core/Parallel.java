package org.labelprop.core;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Loops over row ranges on a backend's worker pool, for the passes around the kernels (normalizing a graph,
 * reordering it, finishing a propagation's result) that touch every row or edge once: run one after
 * another on a 16-core host they took seconds around GPU steps of milliseconds. Callers keep each row's work
 * independent of the others (or sum per block in block order), so results are the same on any thread count.
 */
public final class Parallel {
    /**
     * Rows per task: large enough that a task's overhead vanishes next to a row's work, small enough that a
     * 1M-row pass makes dozens of tasks for work stealing to even out.
     */
    public static final int ROWS = 1 << 14;

    private Parallel() {
    }

    /** What runs on rows [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) in blocks of {@code block}, in {@code pool} (a single block, or any with pool
     * null, on the calling thread).
     */
    public static void forRanges(ForkJoinPool pool, int n, int block, Range body) {
        int blocks = (n + block - 1) / block;
        if (blocks <= 1 || pool == null) {
            body.run(0, n);
            return;
        }
        pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * block;
            body.run(from, Math.min(n, from + block));
        })).join();
    }

    /** {@link #forRanges} with {@link #ROWS} rows per block. */
    public static void forRows(ForkJoinPool pool, int n, Range body) {
        forRanges(pool, n, ROWS, body);
    }
}
