package org.labelprop.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.labelprop.core.FloatMatrix;

/**
 * Base rows regrouped for the distance kernel: rows in panels of W, each panel stored transposed, so that
 * element t of rows p*W .. p*W+W-1 is one contiguous vector at {@code (p * d + t) * W}. A tile of dot
 * products then becomes broadcast-multiply-add of query values against those vectors (the layout GEMM
 * libraries pack B into). Rows past the end of the matrix are zeros.
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

    /** Packs on {@code pool}, a panel per task: a single thread took 3 ms of a 17 ms 2001 x 784 search. */
    static float[] pack(FloatMatrix x, int width, ForkJoinPool pool) {
        return pack(x, width, pool, null);
    }

    /**
     * Packs into {@code into} when it holds at least {@link #size} floats (what it held is overwritten, the
     * padding lanes of the last panel with zeros; floats past the size are left as they are), else into a new
     * array; returns the array packed into.
     */
    static float[] pack(FloatMatrix x, int width, ForkJoinPool pool, float[] into) {
        int d = x.cols();
        int panels = count(x.rows(), width);
        long size = size(x.rows(), d, width);
        float[] out = into != null && into.length >= size ? into
                : new float[FloatMatrix.checkSize((long) panels * width, d, "packed base")];
        float[] src = x.data();
        pool.submit(() -> IntStream.range(0, panels).parallel().forEach(p -> {
            for (int lane = 0; lane < width; lane++) {
                int row = p * width + lane;
                if (row >= x.rows()) {
                    for (int t = 0; t < d; t++) {
                        out[(p * d + t) * width + lane] = 0f;
                    }
                    continue;
                }
                for (int t = 0; t < d; t++) {
                    out[(p * d + t) * width + lane] = src[row * d + t];
                }
            }
        })).join();
        return out;
    }
}
