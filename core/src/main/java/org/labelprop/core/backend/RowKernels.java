package org.labelprop.core.backend;

import org.labelprop.core.FloatMatrix;

/**
 * The loops over one or two dense rows that algorithms run one row at a time rather than in tiles:
 * NN-Descent's pair distances and the rows of linear models (multinomial logistic regression, PCA's
 * products). Named for the operations, as Lucene's VectorUtilSupport is. {@link #PLAIN} is the plain Java
 * version; {@link Backend#rowKernels()} gives a SIMD one where the backend has it. Implementations may sum
 * in another order than PLAIN (results then differ in the last bits) but must be deterministic.
 */
public interface RowKernels {
    /** sum over t &lt; length of (a[aOffset + t] - b[bOffset + t])^2, accumulated in float. */
    float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length);

    /**
     * out[j] = {@link #squaredDistance} from the d features of q at qOffset to row index[o + j] of base (d features
     * per row), for j &lt; count: the same floats, several rows at a time where an implementation can overlap them
     * (one row's sum is a chain of dependent additions; rows gathered from memory wait on it).
     */
    default void squaredDistances(float[] q, int qOffset, float[] base, int[] index, int o, int count, int d,
                                  float[] out) {
        for (int j = 0; j < count; j++) {
            out[j] = squaredDistance(q, qOffset, base, index[o + j] * d, d);
        }
    }

    /** z[k] = b[k] + sum over j &lt; d of w[k d + j] x[o + j], for every k &lt; z.length. */
    void linearScores(float[] x, int o, int d, double[] w, double[] b, double[] z);

    /** g[k d + j] += r[k] x[o + j] for j &lt; d, for every k &lt; r.length whose r[k] is not 0. */
    void addScaledRow(double[] g, double[] r, float[] x, int o, int d);

    /**
     * out[j] = {@link FloatMatrix#exactSquaredDistance} from the d features of q at qOffset
     * to row index[o + j] of base (d features per row), for j &lt; k. Unlike the other loops here, every
     * implementation must give the same bits as that definition: these are the distances graphs are weighted
     * by, and every backend's graph must be the same.
     */
    default void exactSquaredDistances(float[] q, int qOffset, float[] base, int[] index, int o, int k, int d,
                                       double[] out) {
        for (int j = 0; j < k; j++) {
            out[j] = FloatMatrix.exactSquaredDistance(q, qOffset, base, index[o + j] * d, d);
        }
    }

    RowKernels PLAIN = new PlainRowKernels();
}
