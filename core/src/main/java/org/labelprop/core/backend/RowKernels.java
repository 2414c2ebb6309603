package org.labelprop.core.backend;

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

    /** z[k] = b[k] + sum over j &lt; d of w[k d + j] x[o + j], for every k &lt; z.length. */
    void linearScores(float[] x, int o, int d, double[] w, double[] b, double[] z);

    /** g[k d + j] += r[k] x[o + j] for j &lt; d, for every k &lt; r.length whose r[k] is not 0. */
    void addScaledRow(double[] g, double[] r, float[] x, int o, int d);

    RowKernels PLAIN = new PlainRowKernels();
}
