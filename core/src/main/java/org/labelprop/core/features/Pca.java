package org.labelprop.core.features;

import org.labelprop.core.InvalidOptionException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Memory;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.RowKernels;

/**
 * Principal component analysis by randomized SVD (Halko, Martinsson and Tropp 2011): project the centred
 * data on a random (p + oversampling)-dimensional subspace, sharpen it with a few power iterations, and
 * take the exact SVD of the small projected matrix. Costs a handful of passes over X instead of a d x d
 * eigendecomposition, and keeps the directions that carry the variance: 784-pixel images rarely need
 * more than 50 to 100 of them for a kNN graph, which then costs 8 to 16 times less.
 *
 * <p>Deterministic for a seed; sums are taken per row in a fixed order, so on any thread count.
 */
public final class Pca {
    private static final int OVERSAMPLING = 10;
    private static final int POWER_ITERATIONS = 3;

    private final float[] mean;
    /** components[j * d + t]: component j, unit length, ordered by decreasing variance. */
    private final float[] components;
    private final double[] variance;
    private final int d;
    private final int p;

    private Pca(float[] mean, float[] components, double[] variance, int d, int p) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
        this.d = d;
        this.p = p;
    }

    /**
     * The top {@code dims} principal components of the rows of x; the products with X run on the backend's
     * {@link Backend#rowKernels() row kernels} and pool.
     */
    public static Pca fit(Backend backend, FloatMatrix x, int dims, long seed) {
        int n = x.rows();
        int d = x.cols();
        if (dims < 1 || dims > Math.min(n, d)) {
            throw new InvalidOptionException("Pca.dims", "must be between 1 and min(rows, features) = " + Math.min(n, d)
                    + ", got " + dims);
        }
        int l = Math.min(dims + OVERSAMPLING, Math.min(n, d));
        Memory.require(8L * n * l * 2, "PCA of " + n + " x " + d + " to " + dims + " dimensions");
        float[] mean = new float[d];
        double[] sum = new double[d];
        float[] xs = x.data();
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                sum[t] += xs[i * d + t];
            }
        }
        for (int t = 0; t < d; t++) {
            mean[t] = (float) (sum[t] / n);
        }
        // Range finder: Q spans X_c Omega, refined by power iterations Q <- orth(X_c X_c^T Q).
        SplittableRandom r = new SplittableRandom(seed);
        double[] omega = new double[d * l];
        for (int i = 0; i < omega.length; i++) {
            omega[i] = r.nextDouble() * 2 - 1;
        }
        double[] q = orthonormalize(times(x, mean, omega, l, backend), n, l);
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            q = orthonormalize(times(x, mean, transposeTimes(x, mean, q, l, backend), l, backend), n, l);
        }
        // B = Q^T X_c (l x d); its right singular vectors are the eigenvectors of B^T B, found through the
        // small l x l matrix B B^T = U S^2 U^T: V = B^T U S^-1.
        double[] bt = transposeTimes(x, mean, q, l, backend);
        double[] bbt = new double[l * l];
        for (int a = 0; a < l; a++) {
            for (int b = a; b < l; b++) {
                double s = 0;
                for (int t = 0; t < d; t++) {
                    s += bt[t * l + a] * bt[t * l + b];
                }
                bbt[a * l + b] = s;
                bbt[b * l + a] = s;
            }
        }
        double[] eigenvectors = new double[l * l];
        double[] eigenvalues = SymmetricEigen.decompose(bbt, l, eigenvectors);
        float[] components = new float[dims * d];
        double[] variance = new double[dims];
        for (int j = 0; j < dims; j++) {
            double sigma = Math.sqrt(Math.max(eigenvalues[j], 0));
            variance[j] = eigenvalues[j] / Math.max(n - 1, 1);
            for (int t = 0; t < d; t++) {
                double v = 0;
                for (int a = 0; a < l; a++) {
                    v += bt[t * l + a] * eigenvectors[a * l + j];
                }
                components[j * d + t] = (float) (sigma > 0 ? v / sigma : 0);
            }
        }
        return new Pca(mean, components, variance, d, dims);
    }

    /** Rows per task of the products: fixed, so partial sums add up in the same order on any thread count. */
    private static final int CHUNK = 1024;

    /**
     * X_c M for an l-column M (d x l): n x l. Computed as X M minus (mean . M) per column, the row products
     * by the backend's linear loops with M^T as the coefficients.
     */
    private static double[] times(FloatMatrix x, float[] mean, double[] m, int l, Backend backend) {
        int n = x.rows();
        int d = x.cols();
        double[] mt = new double[l * d];
        double[] shift = new double[l];
        for (int t = 0; t < d; t++) {
            for (int a = 0; a < l; a++) {
                mt[a * d + t] = m[t * l + a];
                shift[a] -= mean[t] * m[t * l + a];
            }
        }
        RowKernels linear = backend.rowKernels();
        float[] xs = x.data();
        double[] out = new double[n * l];
        backend.workers().submit(() -> IntStream.range(0, (n + CHUNK - 1) / CHUNK).parallel().forEach(ch -> {
            double[] z = new double[l];
            for (int i = ch * CHUNK; i < Math.min(n, (ch + 1) * CHUNK); i++) {
                linear.linearScores(xs, i * d, d, mt, shift, z);
                System.arraycopy(z, 0, out, i * l, l);
            }
        })).join();
        return out;
    }

    /**
     * X_c^T Q for an n x l Q: d x l. Q^T X is summed per chunk of rows by the backend's linear loops, the
     * chunks added in order; then the mean's share (column sums of Q times the mean) is taken off.
     */
    private static double[] transposeTimes(FloatMatrix x, float[] mean, double[] q, int l, Backend backend) {
        int n = x.rows();
        int d = x.cols();
        int chunks = (n + CHUNK - 1) / CHUNK;
        RowKernels linear = backend.rowKernels();
        float[] xs = x.data();
        double[][] partial = new double[chunks][];
        backend.workers().submit(() -> IntStream.range(0, chunks).parallel().forEach(ch -> {
            double[] g = new double[l * d];
            double[] r = new double[l];
            for (int i = ch * CHUNK; i < Math.min(n, (ch + 1) * CHUNK); i++) {
                System.arraycopy(q, i * l, r, 0, l);
                linear.addScaledRow(g, r, xs, i * d, d);
            }
            partial[ch] = g;
        })).join();
        double[] qtx = new double[l * d];
        for (double[] g : partial) {
            for (int e = 0; e < g.length; e++) {
                qtx[e] += g[e];
            }
        }
        double[] colSum = new double[l];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < l; a++) {
                colSum[a] += q[i * l + a];
            }
        }
        double[] out = new double[d * l];
        for (int t = 0; t < d; t++) {
            for (int a = 0; a < l; a++) {
                out[t * l + a] = qtx[a * d + t] - colSum[a] * mean[t];
            }
        }
        return out;
    }

    /**
     * Modified Gram-Schmidt on the l columns of an n x l matrix, twice for stability. The columns are
     * copied out contiguous first: walking a row-major column strides by l doubles per element, which made
     * this the slowest step of the fit.
     */
    private static double[] orthonormalize(double[] y, int n, int l) {
        double[][] col = new double[l][n];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < l; a++) {
                col[a][i] = y[i * l + a];
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int a = 0; a < l; a++) {
                double[] ca = col[a];
                for (int b = 0; b < a; b++) {
                    double[] cb = col[b];
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += ca[i] * cb[i];
                    }
                    for (int i = 0; i < n; i++) {
                        ca[i] -= dot * cb[i];
                    }
                }
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += ca[i] * ca[i];
                }
                double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
                for (int i = 0; i < n; i++) {
                    ca[i] *= inv;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < l; a++) {
                y[i * l + a] = col[a][i];
            }
        }
        return y;
    }

    /** The rows of x (same feature count as the fit) in component coordinates: n x dims. */
    public FloatMatrix transform(Backend backend, FloatMatrix x) {
        return transform(backend, x, 0);
    }

    /**
     * The rows of x in component coordinates, coordinate j divided by variance_j^whitening: 0 is the plain
     * projection, 0.5 whitens (every coordinate unit variance), values between shrink the spread of the
     * variances without erasing it, e.g. 0.25 maps variances v_j to sqrt(v_j). Why whiten before a
     * neighbour search: in raw coordinates the few strongest directions (on images: overall brightness and
     * size) dominate every distance; partial whitening lets the finer directions that tell similar classes
     * apart count too, without raising the weakest, noisiest ones to full weight (Jegou and Chum, ECCV 2012,
     * on PCA-whitening for image retrieval). A component with no variance gets weight 0.
     */
    public FloatMatrix transform(Backend backend, FloatMatrix x, double whitening) {
        if (!(whitening >= 0 && whitening <= 0.5)) {
            throw new InvalidOptionException("Pca.whitening", "must be between 0 and 0.5, got " + whitening);
        }
        if (x.cols() != d) {
            throw new DataException("PCA was fitted on " + d + " features, got " + x.cols());
        }
        int n = x.rows();
        float[] xs = x.data();
        float[] out = new float[FloatMatrix.checkSize(n, p, "projected features")];
        // (x - mean) . c_j = x . c_j - mean . c_j, the row products by the backend's linear loops.
        double[] w = new double[p * d];
        double[] shift = new double[p];
        for (int j = 0; j < p; j++) {
            double scale = whitening == 0 ? 1 : variance[j] > 0 ? Math.pow(variance[j], -whitening) : 0;
            for (int t = 0; t < d; t++) {
                w[j * d + t] = components[j * d + t] * scale;
                shift[j] -= (double) mean[t] * components[j * d + t] * scale;
            }
        }
        RowKernels linear = backend.rowKernels();
        backend.workers().submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
            double[] z = new double[p];
            linear.linearScores(xs, i * d, d, w, shift, z);
            for (int j = 0; j < p; j++) {
                out[i * p + j] = (float) z[j];
            }
        })).join();
        return new FloatMatrix(n, p, out);
    }

    public int dims() {
        return p;
    }

    /** Component j as a unit vector of length d. */
    public float[] component(int j) {
        return java.util.Arrays.copyOfRange(components, j * d, (j + 1) * d);
    }

    /** The mean the fit centred the rows on (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * The components as the rows of a dims x d matrix, made orthonormal in double ({@link #orthonormalize}): the
     * float components are orthonormal only to float's rounding, and a bound that projects on them
     * ({@code PrunedExactSearch}) needs exactly orthonormal rows.
     */
    public double[] orthonormalComponents() {
        // Column j of a d x p matrix is component j; orthonormalized, its transpose is the rows wanted.
        double[] columns = new double[d * p];
        for (int j = 0; j < p; j++) {
            for (int t = 0; t < d; t++) {
                columns[t * p + j] = components[j * d + t];
            }
        }
        orthonormalize(columns, d, p);
        double[] rows = new double[p * d];
        for (int j = 0; j < p; j++) {
            for (int t = 0; t < d; t++) {
                rows[j * d + t] = columns[t * p + j];
            }
        }
        return rows;
    }

    /** Variance of the data along each component (eigenvalues of the sample covariance), decreasing. */
    public double[] variance() {
        return variance.clone();
    }
}
