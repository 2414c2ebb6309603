package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.RowKernels;
import org.labelprop.core.Prediction;
import org.labelprop.core.InvalidOptionException;
import java.util.stream.IntStream;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;

/**
 * Multinomial logistic regression (softmax) with an L2 penalty, fitted by L-BFGS. It minimizes
 * <pre>
 *   sum_i s_i (log sum_c exp z_ic - z_i,y_i) + (l2 / 2) |W|^2,   z_ic = W_c . x_i + b_c
 * </pre>
 * over the training rows i with weights s_i, intercepts unpenalized: scikit-learn's
 * {@code LogisticRegression(C = 1 / l2)} with the lbfgs solver. With {@code standardize} each feature is
 * centred and scaled to unit variance on the training rows first and the penalty applies to the weights of
 * the standardized features; the scaling is folded into the saved coefficients, so the model takes raw rows.
 *
 * <p>Loss and gradient run over fixed chunks of rows in the given pool, and the chunks' partial sums are
 * added in chunk order: the result is the same for every thread count.
 */
public final class LogisticRegression implements Classifier {
    /** Rows per float-accumulated gradient block, flushed into double so long chunks lose no precision. */
    private static final int BLOCK = 256;
    /** At most this many chunks (partial sums) per evaluation; fixed by the row count, not the threads. */
    private static final int MAX_CHUNKS = 64;
    private static final int MEMORY = 10;

    /**
     * @param l2 penalty strength (scikit-learn's 1 / C), >= 0
     * @param tol stop when no component of the gradient of the weight-averaged objective exceeds this
     * @param maxIter L-BFGS iteration limit (scikit-learn's max_iter)
     * @param standardize scale features to zero mean and unit variance before fitting
     */
    public record Options(double l2, double tol, int maxIter, boolean standardize) {
        public Options {
            if (!(l2 >= 0) || Double.isInfinite(l2)) {
                throw new InvalidOptionException("LogisticRegression.Options.l2", "must be a number >= 0, got " + l2);
            }
            if (!(tol >= 0)) {
                throw new InvalidOptionException("LogisticRegression.Options.tol", "must be >= 0, got " + tol);
            }
            if (maxIter < 1) {
                throw new InvalidOptionException("LogisticRegression.Options.maxIter", "must be at least 1, got " + maxIter);
            }
        }

        /** scikit-learn's defaults: C = 1, at most 100 iterations; tolerance 1e-5 on the averaged gradient. */
        public static Options defaults() {
            return new Options(1.0, 1e-5, 100, false);
        }

        public Options withL2(double newL2) {
            return new Options(newL2, tol, maxIter, standardize);
        }

        public Options withTol(double newTol) {
            return new Options(l2, newTol, maxIter, standardize);
        }

        public Options withMaxIter(int newMaxIter) {
            return new Options(l2, tol, newMaxIter, standardize);
        }

        public Options withStandardize(boolean newStandardize) {
            return new Options(l2, tol, maxIter, newStandardize);
        }
    }

    private final Options options;

    public LogisticRegression(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    @Override
    public String name() {
        return "logistic";
    }

    @Override
    public LogisticModel fit(Backend backend, TrainingSet data) {
        FloatMatrix x = data.features();
        int d = x.cols();
        int c = data.classCount();
        double total = data.totalWeight();
        if (!(total > 0)) {
            throw new DataException("logistic regression: the training rows' weights sum to 0; nothing to fit");
        }
        double[] mean = new double[d];
        double[] scale = new double[d];
        java.util.Arrays.fill(scale, 1);
        if (options.standardize()) {
            standardization(x, data.rows(), mean, scale);
        }
        Loss loss = new Loss(data, mean, scale, options.l2(), total, backend);
        Lbfgs.Result r = Lbfgs.minimize(loss, new double[c * d + c], options.tol(), options.maxIter(), MEMORY);
        double[] coef = new double[c * d];
        double[] intercept = new double[c];
        loss.fold(r.x(), coef, intercept);
        return new LogisticModel(data.classes(), d, coef, intercept, r.iterations(), r.converged());
    }

    /** Mean and population standard deviation of each feature over the training rows; 1 where constant. */
    private static void standardization(FloatMatrix x, int[] rows, double[] mean, double[] scale) {
        int d = x.cols();
        float[] a = x.data();
        double[] sq = new double[d];
        for (int r : rows) {
            int o = r * d;
            for (int j = 0; j < d; j++) {
                mean[j] += a[o + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= rows.length;
        }
        for (int r : rows) {
            int o = r * d;
            for (int j = 0; j < d; j++) {
                double v = a[o + j] - mean[j];
                sq[j] += v * v;
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(sq[j] / rows.length);
            scale[j] = sd > 0 ? sd : 1;
        }
    }

    /**
     * The objective divided by the total weight (same minimizer, a tolerance independent of the row count).
     * Parameters: W (C x d, standardized space) then b (C).
     */
    private static final class Loss implements Lbfgs.Objective {
        private final TrainingSet data;
        private final double[] mean;
        private final double[] scale;
        private final double l2;
        private final double total;
        private final Backend backend;
        private final int d;
        private final int c;
        private final int chunkRows;
        private final double[][] partialGrad;
        private final double[] partialLoss;
        private final double[] coef;
        private final double[] intercept;

        Loss(TrainingSet data, double[] mean, double[] scale, double l2, double total, Backend backend) {
            this.data = data;
            this.mean = mean;
            this.scale = scale;
            this.l2 = l2;
            this.total = total;
            this.backend = backend;
            this.d = data.features().cols();
            this.c = data.classCount();
            int n = data.size();
            this.chunkRows = Math.max(BLOCK, (n + MAX_CHUNKS - 1) / MAX_CHUNKS);
            int chunks = Math.max(1, (n + chunkRows - 1) / chunkRows);
            this.partialGrad = new double[chunks][c * d + c];
            this.partialLoss = new double[chunks];
            this.coef = new double[c * d];
            this.intercept = new double[c];
        }

        /** Coefficients for raw features: W_cj / s_j, and b_c - sum_j W_cj m_j / s_j. */
        void fold(double[] theta, double[] w, double[] b) {
            for (int k = 0; k < c; k++) {
                double shift = 0;
                for (int j = 0; j < d; j++) {
                    w[k * d + j] = theta[k * d + j] / scale[j];
                    shift += w[k * d + j] * mean[j];
                }
                b[k] = theta[c * d + k] - shift;
            }
        }

        @Override
        public double evaluate(double[] theta, double[] gradient) {
            fold(theta, coef, intercept);
            int n = data.size();
            int chunks = partialLoss.length;
            backend.workers().submit(() -> IntStream.range(0, chunks).parallel().forEach(k ->
                    partialLoss[k] = chunk(k * chunkRows, Math.min(n, (k + 1) * chunkRows), partialGrad[k]))).join();
            double loss = 0;
            java.util.Arrays.fill(gradient, 0);
            for (int k = 0; k < chunks; k++) {
                loss += partialLoss[k];
                double[] p = partialGrad[k];
                for (int i = 0; i < gradient.length; i++) {
                    gradient[i] += p[i];
                }
            }
            // The kernel differentiated with respect to the raw-space coefficients; chain back to W and b.
            double penalty = 0;
            for (int k = 0; k < c; k++) {
                double gb = gradient[c * d + k];
                for (int j = 0; j < d; j++) {
                    int q = k * d + j;
                    double w = theta[q];
                    penalty += w * w;
                    gradient[q] = ((gradient[q] - mean[j] * gb) / scale[j] + l2 * w) / total;
                }
                gradient[c * d + k] = gb / total;
            }
            return (loss + 0.5 * l2 * penalty) / total;
        }

        /** Weighted loss of training rows [from, to); their raw-space gradient into {@code grad}. */
        private double chunk(int from, int to, double[] grad) {
            java.util.Arrays.fill(grad, 0);
            float[] x = data.features().data();
            int[] rows = data.rows();
            RowKernels linear = backend.rowKernels();
            double[] block = new double[c * d];
            double[] z = new double[c];
            double[] p = new double[c];
            double[] r = new double[c];
            double loss = 0;
            for (int start = from; start < to; start += BLOCK) {
                int end = Math.min(to, start + BLOCK);
                java.util.Arrays.fill(block, 0);
                for (int i = start; i < end; i++) {
                    double s = data.weight(i);
                    if (s == 0) {
                        continue;
                    }
                    int o = rows[i] * d;
                    int y = data.target()[i];
                    linear.linearScores(x, o, d, coef, intercept, z);
                    double logSum = Prediction.softmax(z, p);
                    loss += s * (logSum - z[y]);
                    for (int k = 0; k < c; k++) {
                        double g = s * (p[k] - (k == y ? 1 : 0));
                        r[k] = g;
                        grad[c * d + k] += g;
                    }
                    linear.addScaledRow(block, r, x, o, d);
                }
                for (int q = 0; q < block.length; q++) {
                    grad[q] += block[q];
                }
            }
            return loss;
        }
    }
}
