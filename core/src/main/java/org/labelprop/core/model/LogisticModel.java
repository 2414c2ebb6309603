package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.RowKernels;
import java.util.stream.IntStream;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;

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
    public float[] probabilities(Backend backend, FloatMatrix x) {
        if (x.cols() != features) {
            throw new DataException("the model takes " + features + " features, the rows have " + x.cols());
        }
        int c = classes.length;
        float[] out = new float[FloatMatrix.checkSize(x.rows(), c, "probabilities")];
        float[] data = x.data();
        RowKernels linear = backend.rowKernels();
        backend.workers().submit(() -> IntStream.range(0, x.rows()).parallel().forEach(i -> {
            double[] z = new double[c];
            linear.linearScores(data, i * features, features, coef, intercept, z);
            Prediction.softmax(z, z);
            for (int k = 0; k < c; k++) {
                out[i * c + k] = (float) z[k];
            }
        })).join();
        return out;
    }
}
