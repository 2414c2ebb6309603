package org.labelprop.cpu;

/**
 * The inner loops of the CPU backend, behind an interface so the Vector API implementation can be
 * absent at run time (the incubator module not added) without the rest of the backend noticing.
 * Matrices are row-major with rows padded to {@link #padding()} floats, so kernels need no tails in the
 * feature dimension.
 */
interface Kernels {
    /** How this implementation computes, for logs. */
    String description();

    /** Row length multiple the data must be padded to (the SIMD width in floats, or 1). */
    int padding();

    /**
     * Dot products of query rows [q0, q0 + qn) with base rows [b0, b0 + bn), both of padded length
     * {@code d}: {@code out[i * bn + j] = q_{q0+i} . b_{b0+j}}.
     */
    void dotTile(float[] q, int q0, int qn, float[] b, int b0, int bn, int d, float[] out);

    /**
     * One row of the sparse product: {@code acc[0..c) = sum over e in [from, to) of w[e] * y[col[e]*c ..]}.
     */
    void spmmRow(int[] col, float[] w, int from, int to, float[] y, int c, float[] acc);

    /** sum over t in [0, d) of (x[a + t] - x[b + t])^2, d a multiple of {@link #padding()}. */
    float squaredDistance(float[] x, int a, int b, int d);
}
