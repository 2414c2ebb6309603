package org.labelprop.core.backend;

/**
 * The dense inner loops of linear models (multinomial logistic regression): one row's score for every
 * class, and one row's contribution to the gradient. Coefficients and sums are double, features float.
 * {@link #SCALAR} is the plain Java version every backend may use; {@link Backend#linear()} gives a SIMD
 * one where the backend has it. Implementations may sum in another order than SCALAR (results then differ
 * in the last bits) but must be deterministic.
 */
public interface LinearKernels {
    /** z[k] = b[k] + sum over j < d of w[k d + j] x[o + j], for every k < z.length. */
    void scores(float[] x, int o, int d, double[] w, double[] b, double[] z);

    /** g[k d + j] += r[k] x[o + j] for j < d, for every k < r.length whose r[k] is not 0. */
    void addScaledRow(double[] g, double[] r, float[] x, int o, int d);

    LinearKernels SCALAR = new LinearKernels() {
        /** Four classes per pass over the row: each feature loaded once per four classes, four sums in flight. */
        @Override
        public void scores(float[] x, int o, int d, double[] w, double[] b, double[] z) {
            int c = z.length;
            int k = 0;
            for (; k + 4 <= c; k += 4) {
                int w0 = k * d;
                int w1 = w0 + d;
                int w2 = w1 + d;
                int w3 = w2 + d;
                double a0 = 0;
                double a1 = 0;
                double a2 = 0;
                double a3 = 0;
                for (int j = 0; j < d; j++) {
                    double v = x[o + j];
                    a0 += v * w[w0 + j];
                    a1 += v * w[w1 + j];
                    a2 += v * w[w2 + j];
                    a3 += v * w[w3 + j];
                }
                z[k] = b[k] + a0;
                z[k + 1] = b[k + 1] + a1;
                z[k + 2] = b[k + 2] + a2;
                z[k + 3] = b[k + 3] + a3;
            }
            for (; k < c; k++) {
                int w0 = k * d;
                double a0 = 0;
                for (int j = 0; j < d; j++) {
                    a0 += x[o + j] * w[w0 + j];
                }
                z[k] = b[k] + a0;
            }
        }

        @Override
        public void addScaledRow(double[] g, double[] r, float[] x, int o, int d) {
            for (int k = 0; k < r.length; k++) {
                double rk = r[k];
                if (rk != 0) {
                    int gk = k * d;
                    for (int j = 0; j < d; j++) {
                        g[gk + j] += rk * x[o + j];
                    }
                }
            }
        }
    };
}
