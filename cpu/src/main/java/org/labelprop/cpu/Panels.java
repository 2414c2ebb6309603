package org.labelprop.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.labelprop.core.FloatMatrix;

/**
 * Rows regrouped for the distance kernel: rows in panels of W, each panel stored transposed, so that
 * element t of rows p*W .. p*W+W-1 is one contiguous vector at {@code (p * d + t) * W}. A tile of dot
 * products then becomes broadcast-multiply-add of query values against those vectors (the layout GEMM
 * libraries pack B into), and a register block's query values for one feature lie side by side. Rows past
 * the end of the matrix are zeros.
 */
final class Panels {
    private Panels() {
    }

    static int count(int rows, int width) {
        return (rows + width - 1) / width;
    }

    /** Floats that {@link #pack} writes for {@code rows} rows of {@code d} features. */
    static long size(int rows, int d, int width) {
        return (long) count(rows, width) * width * d;
    }

    /**
     * Packs on {@code pool} with the kernels' packer, a panel per task: a single thread took 3 ms of a 17 ms
     * 2001 x 784 search.
     */
    static float[] pack(FloatMatrix x, Kernels kernels, ForkJoinPool pool) {
        return pack(x, kernels, pool, null);
    }

    /**
     * Packs into {@code into} when it holds at least {@link #size} floats (what it held is overwritten, the
     * padding lanes of the last panel with zeros; floats past the size are left as they are), else into a new
     * array; returns the array packed into.
     */
    static float[] pack(FloatMatrix x, Kernels kernels, ForkJoinPool pool, float[] into) {
        return pack(x.data(), x.cols(), null, x.rows(), kernels, pool, into);
    }

    /**
     * {@link #pack(FloatMatrix, Kernels, ForkJoinPool, float[])} of {@code count} rows of the row-major
     * {@code src}: rows {@code picked[0], picked[1], ...}, or with picked null its first rows.
     */
    static float[] pack(float[] src, int d, int[] picked, int count, Kernels kernels, ForkJoinPool pool,
                        float[] into) {
        int width = kernels.panelWidth();
        int panels = count(count, width);
        long size = size(count, d, width);
        float[] out = into != null && into.length >= size ? into
                : new float[FloatMatrix.checkSize((long) panels * width, d, "packed base")];
        pool.submit(() -> IntStream.range(0, panels).parallel().forEach(p ->
                kernels.packPanel(src, d, picked, 0, count, out, p))).join();
        return out;
    }

    /**
     * Packs {@code count} rows of the row-major {@code src} (rows of d floats) into panels from panel 0 of
     * {@code out}: rows {@code picked[first + i]}, or with picked null rows first + i.
     */
    static void packRows(float[] src, int d, int[] picked, int first, int count, Kernels kernels, float[] out) {
        for (int p = 0; p < count(count, kernels.panelWidth()); p++) {
            kernels.packPanel(src, d, picked, first, count, out, p);
        }
    }

    /**
     * Panel p of those rows, feature by feature (the definition, and the packer of kernels without a faster
     * one): each feature's W values go to one cache line, read from W rows that each stay in cache for the next
     * features. (Row by row instead, every store went to a different line of the 50 KB panel, evicted before the
     * next row came back to it.) The last panel's padding lanes get zeros.
     */
    static void packPanel(float[] src, int d, int[] picked, int first, int count, int width, float[] out, int p) {
        int lanes = Math.min(width, count - p * width);
        int[] from = rowStarts(d, picked, first, count, width, p);
        int o = p * d * width;
        for (int t = 0; t < d; t++, o += width) {
            for (int lane = 0; lane < lanes; lane++) {
                out[o + lane] = src[from[lane] + t];
            }
            for (int lane = lanes; lane < width; lane++) {
                out[o + lane] = 0f;
            }
        }
    }

    /**
     * Where the rows of panel p start in the row-major source: {@code from[lane]} for the panel's rows, zero
     * for its padding lanes; an array of W.
     */
    static int[] rowStarts(int d, int[] picked, int first, int count, int width, int p) {
        int[] from = new int[width];
        for (int lane = 0; lane < Math.min(width, count - p * width); lane++) {
            int i = p * width + lane;
            from[lane] = (picked == null ? first + i : picked[first + i]) * d;
        }
        return from;
    }
}
