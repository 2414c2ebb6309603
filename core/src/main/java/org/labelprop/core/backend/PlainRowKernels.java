package org.labelprop.core.backend;

/** {@link RowKernels} in plain Java: several independent sums in flight so the scalar loops pipeline. */
final class PlainRowKernels implements RowKernels {
    @Override
    public float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float s0 = 0;
        float s1 = 0;
        int t = 0;
        for (; t + 1 < length; t += 2) {
            float u = a[aOffset + t] - b[bOffset + t];
            float v = a[aOffset + t + 1] - b[bOffset + t + 1];
            s0 += u * u;
            s1 += v * v;
        }
        if (t < length) {
            float u = a[aOffset + t] - b[bOffset + t];
            s0 += u * u;
        }
        return s0 + s1;
    }

    /** Four classes per pass over the row: each feature loaded once per four classes, four sums in flight. */
    @Override
    public void linearScores(float[] x, int o, int d, double[] w, double[] b, double[] z) {
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
}
