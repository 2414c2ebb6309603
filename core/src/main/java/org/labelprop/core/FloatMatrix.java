package org.labelprop.core;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * A dense row-major matrix of floats: row {@code i} occupies {@code data[i * cols, (i + 1) * cols)}.
 *
 * <p>One flat array rather than {@code float[][]}: one allocation, no per-row headers, and the layout
 * SIMD kernels and native code expect. Java arrays hold fewer than 2^31 elements, so a matrix holds
 * fewer than 2^31 floats; {@link #checkSize} turns a larger request into a clear error.
 */
public final class FloatMatrix {
    /** 2^-50: squares of the largest value stay normal floats with 24 bits of room for differences. */
    public static final float MIN_DISTANCE_SCALE = 0x1p-50f;

    private final int rows;
    private final int cols;
    private final float[] data;

    public FloatMatrix(int rows, int cols, float[] data) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + " x " + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(
                    "shape " + rows + " x " + cols + " needs " + (long) rows * cols + " floats, got " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[checkSize(rows, cols, "matrix")]);
    }

    /**
     * Returns {@code rows * cols} as an int, or throws a {@link DataException} naming the size and the
     * way out when it passes Java's array limit.
     */
    public static int checkSize(long rows, long cols, String what) {
        long n = rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw new DataException(what + " of " + rows + " x " + cols + " = " + n
                    + " elements exceeds Java's array limit of 2^31; reduce the dimension (e.g. PCA), "
                    + "split the data, or use a distributed engine");
        }
        return (int) n;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The backing array, not a copy: kernels read it in place. */
    public float[] data() {
        return data;
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    public void set(int row, int col, float value) {
        data[row * cols + col] = value;
    }

    public float[] row(int row) {
        return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
    }

    /**
     * sum over columns of (this_i - other_j)^2 in double over direct differences (no |x|^2 - 2 x.y + |y|^2
     * expansion, so no cancellation): the exact distance that fast selection kernels' results are refined
     * with, summed in the order {@link #exactSquaredDistance} defines.
     */
    public double squaredDistance(int i, FloatMatrix other, int j) {
        return exactSquaredDistance(data, i * cols, other.data, j * other.cols, cols);
    }

    /** Interleaved partial sums of {@link #exactSquaredDistance}: feature t goes to sum t mod 8. */
    public static final int EXACT_SUMS = 8;

    /**
     * The exact squared distance between the d features of a at aOffset and of b at bOffset, in one fixed
     * order that every implementation reproduces bit for bit: the features below d - d mod 8 go to eight
     * double sums, feature t to sum t mod 8 as fma(u, u, sum) with u = a[t] - b[t] (both widened to double,
     * so u is exact); the sums are combined as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)); the last d mod
     * 8 features are then added in order, again by fma. Eight sums rather than one so that a SIMD kernel can
     * keep them in vector lanes (see {@link org.labelprop.core.backend.RowKernels#exactSquaredDistances}); a
     * single running sum in feature order, the definition before, made the refinement of an inverted-file
     * graph's 700,000 pairs a sixth of its time.
     */
    public static double exactSquaredDistance(float[] a, int aOffset, float[] b, int bOffset, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int bound = d - d % EXACT_SUMS;
        int t = 0;
        for (; t < bound; t += EXACT_SUMS) {
            int p = aOffset + t;
            int q = bOffset + t;
            double u0 = (double) a[p] - b[q];
            double u1 = (double) a[p + 1] - b[q + 1];
            double u2 = (double) a[p + 2] - b[q + 2];
            double u3 = (double) a[p + 3] - b[q + 3];
            double u4 = (double) a[p + 4] - b[q + 4];
            double u5 = (double) a[p + 5] - b[q + 5];
            double u6 = (double) a[p + 6] - b[q + 6];
            double u7 = (double) a[p + 7] - b[q + 7];
            s0 = Math.fma(u0, u0, s0);
            s1 = Math.fma(u1, u1, s1);
            s2 = Math.fma(u2, u2, s2);
            s3 = Math.fma(u3, u3, s3);
            s4 = Math.fma(u4, u4, s4);
            s5 = Math.fma(u5, u5, s5);
            s6 = Math.fma(u6, u6, s6);
            s7 = Math.fma(u7, u7, s7);
        }
        double s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; t < d; t++) {
            double u = (double) a[aOffset + t] - b[bOffset + t];
            s = Math.fma(u, u, s);
        }
        return s;
    }

    /**
     * Each row's squared norm: its sum of squares in double, in feature order, rounded to float. Search kernels
     * that select by |x|^2 - 2 x.y + |y|^2 take the norms from here (or from {@link #squaredNorms(float[], int,
     * int, int, float[], int)}), so that a norm is the same float wherever it was computed.
     */
    public float[] squaredNorms() {
        float[] out = new float[rows];
        squaredNorms(data, cols, 0, rows, out, 0);
        return out;
    }

    /** Rows per task of {@link #squaredNorms(ForkJoinPool)}: a 2001-row search's norms were one task otherwise. */
    private static final int NORM_ROWS = 256;

    /**
     * {@link #squaredNorms()} in {@code pool}, blocks of rows in parallel: each row's sum is independent, so the
     * floats are the same on any thread count (70,000 x 784 on one thread took 37 ms).
     */
    public float[] squaredNorms(ForkJoinPool pool) {
        float[] out = new float[rows];
        Parallel.forRanges(pool, rows, NORM_ROWS, (from, to) -> squaredNorms(data, cols, from, to, out, from));
        return out;
    }

    /**
     * The squared norms of rows [from, to) of the row-major x (rows of d floats) into out from {@code at}, as
     * {@link #squaredNorms()} computes them, four rows at a time: one row's sum is a chain of dependent
     * additions, so four interleaved chains run about four times as fast as one, with the same sums. Each row is
     * indexed from its own start (r0 + t, ...) rather than one index plus multiples of d: JDK 17's C2 kept range
     * checks on the latter, and 2,001 x 784 took 2.76 ms against 0.89 ms (JDK 25: 0.57 ms either way).
     */
    public static void squaredNorms(float[] x, int d, int from, int to, float[] out, int at) {
        int i = from;
        for (; i + 3 < to; i += 4) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int r0 = i * d;
            int r1 = r0 + d;
            int r2 = r1 + d;
            int r3 = r2 + d;
            for (int t = 0; t < d; t++) {
                float a = x[r0 + t];
                float b = x[r1 + t];
                float c = x[r2 + t];
                float e = x[r3 + t];
                s0 += (double) a * a;
                s1 += (double) b * b;
                s2 += (double) c * c;
                s3 += (double) e * e;
            }
            out[at + i - from] = (float) s0;
            out[at + i - from + 1] = (float) s1;
            out[at + i - from + 2] = (float) s2;
            out[at + i - from + 3] = (float) s3;
        }
        for (; i < to; i++) {
            double s = 0;
            for (int t = 0, o = i * d; t < d; t++, o++) {
                s += (double) x[o] * x[o];
            }
            out[at + i - from] = (float) s;
        }
    }

    /** The rows at the given indices, in that order, as a new matrix. */
    public FloatMatrix selectRows(int[] indices) {
        float[] out = new float[checkSize(indices.length, cols, "matrix")];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data, indices[i] * cols, out, i * cols, cols);
        }
        return new FloatMatrix(indices.length, cols, out);
    }

    /** Multiplies every element by {@code factor} in place and returns this matrix. */
    /**
     * Refuses values whose float32 squared distances, computed as |x|^2 - 2 x.y + |y|^2, would leave float
     * range: above sqrt(Float.MAX / 4 cols) they overflow (about 1e18 for a few dozen columns), and when every
     * value is below {@value #MIN_DISTANCE_SCALE} their squares underflow, so rows that differ look equal.
     * Scaling the features by a constant fixes both and changes no kNN graph; a silent rescale would not
     * carry over to the distances and bandwidths a caller sees, so this asks for it instead.
     *
     * @param source the file or argument the matrix came from, for the message
     */
    public FloatMatrix requireDistanceScale(String source) {
        float max = 0;
        for (float v : data) {
            max = Math.max(max, Math.abs(v));
        }
        double high = Math.sqrt(Float.MAX_VALUE / (4.0 * Math.max(1, cols)));
        if (max > high) {
            throw new DataException(source + ": values up to " + max + " are too large for float32 squared "
                    + "distances over " + cols + " columns (at most " + (float) high + "); scale the features "
                    + "down, e.g. standardize them");
        }
        if (max > 0 && max < MIN_DISTANCE_SCALE) {
            throw new DataException(source + ": the largest value is " + max + ", so small that float32 squared "
                    + "distances underflow (below " + MIN_DISTANCE_SCALE + "); scale the features up, e.g. "
                    + "standardize them");
        }
        return this;
    }

    public FloatMatrix scaleInPlace(float factor) {
        for (int i = 0; i < data.length; i++) {
            data[i] *= factor;
        }
        return this;
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + " x " + cols + "]";
    }
}
