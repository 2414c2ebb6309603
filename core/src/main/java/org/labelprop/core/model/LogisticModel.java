package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import java.util.stream.IntStream;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;

/**
 * A fitted multinomial logistic regression: p(c | x) = softmax_c(coef_c . x + intercept_c), on raw features
 * (any standardization already folded in).
 *
 * @see LogisticRegression
 */
public final class LogisticModel implements Model {
    private final int[] classes;
    private final int features;
    private final double[] coef;
    private final double[] intercept;
    private final int iterations;
    private final boolean converged;

    LogisticModel(int[] classes, int features, double[] coef, double[] intercept, int iterations, boolean converged) {
        if (coef.length != (long) classes.length * features || intercept.length != classes.length) {
            throw new IllegalArgumentException("LogisticModel: " + classes.length + " classes x " + features
                    + " features, got " + coef.length + " coefficients and " + intercept.length + " intercepts");
        }
        this.classes = classes.clone();
        this.features = features;
        this.coef = coef;
        this.intercept = intercept;
        this.iterations = iterations;
        this.converged = converged;
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    @Override
    public int features() {
        return features;
    }

    /** Row-major classes x features coefficients for raw features, a copy. */
    public double[] coefficients() {
        return coef.clone();
    }

    public double[] intercepts() {
        return intercept.clone();
    }

    /** L-BFGS iterations the fit took. */
    public int iterations() {
        return iterations;
    }

    /** Whether the fit met its tolerance before the iteration limit. */
    public boolean converged() {
        return converged;
    }

    @Override
    public float[] probabilities(FloatMatrix x, Backend compute) {
        if (x.cols() != features) {
            throw new DataException("the model takes " + features + " features, the rows have " + x.cols());
        }
        int c = classes.length;
        float[] out = new float[FloatMatrix.checkSize(x.rows(), c, "probabilities")];
        float[] data = x.data();
        compute.pool().submit(() -> IntStream.range(0, x.rows()).parallel().forEach(i -> {
            double[] z = new double[c];
            logits(data, i * features, features, coef, intercept, z);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                z[k] = Math.exp(z[k] - max);
                sum += z[k];
            }
            for (int k = 0; k < c; k++) {
                out[i * c + k] = (float) (z[k] / sum);
            }
        })).join();
        return out;
    }

    /**
     * z_k = b_k + w_k . x for the row at {@code x[o .. o + d)}, four classes per pass over the row so each
     * feature is loaded once per four classes and four independent sums keep the FP units busy.
     */
    static void logits(float[] x, int o, int d, double[] w, double[] b, double[] z) {
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
}
