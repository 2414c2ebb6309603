package org.labelprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.algo.Labels;

class LogisticRegressionTest {
    private static final int[] CLASSES = {0, 1, 2};

    /** The objective of LogisticRegression's javadoc and its gradient, written out plainly in double. */
    private static double objective(FloatMatrix x, int[] y, double[] s, double l2, double[] w, double[] b,
                                    double[] gw, double[] gb) {
        int c = b.length;
        int d = x.cols();
        java.util.Arrays.fill(gw, 0);
        java.util.Arrays.fill(gb, 0);
        double f = 0;
        for (int i = 0; i < x.rows(); i++) {
            double[] z = new double[c];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                z[k] = b[k];
                for (int j = 0; j < d; j++) {
                    z[k] += w[k * d + j] * x.get(i, j);
                }
                max = Math.max(max, z[k]);
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(z[k] - max);
            }
            f += s[i] * (Math.log(sum) + max - z[y[i]]);
            for (int k = 0; k < c; k++) {
                double r = s[i] * (Math.exp(z[k] - max) / sum - (k == y[i] ? 1 : 0));
                gb[k] += r;
                for (int j = 0; j < d; j++) {
                    gw[k * d + j] += r * x.get(i, j);
                }
            }
        }
        for (int q = 0; q < w.length; q++) {
            f += 0.5 * l2 * w[q] * w[q];
            gw[q] += l2 * w[q];
        }
        return f;
    }

    @Test
    void matchesTheOptimumFoundByPlainGradientDescent() {
        FloatMatrix x = Fixtures.blobs(3, 20, 4, 2.5f, 3);
        int[] y = Fixtures.blobTruth(60, 3);
        double[] s = new double[60];
        float[] weight = new float[60];
        for (int i = 0; i < 60; i++) {
            weight[i] = 0.5f + (i % 4) * 0.5f;
            s[i] = weight[i];
        }
        double l2 = 5.0;
        int d = 4;
        double[] w = new double[3 * d];
        double[] b = new double[3];
        double[] gw = new double[w.length];
        double[] gb = new double[3];
        // Fixed step 1/L, L = l2 + lambda_max(sum_i s_i [x_i 1][x_i 1]^T) / 2 bounds the Hessian (a softmax
        // Jacobian's eigenvalues are at most 1/2); the largest eigenvalue by power iteration.
        double[][] gram = new double[d + 1][d + 1];
        for (int i = 0; i < 60; i++) {
            for (int p = 0; p <= d; p++) {
                for (int q = 0; q <= d; q++) {
                    gram[p][q] += s[i] * (p < d ? x.get(i, p) : 1) * (q < d ? x.get(i, q) : 1);
                }
            }
        }
        double[] v = new double[d + 1];
        java.util.Arrays.fill(v, 1);
        double lambda = 0;
        for (int it = 0; it < 200; it++) {
            double[] mv = new double[d + 1];
            for (int p = 0; p <= d; p++) {
                for (int q = 0; q <= d; q++) {
                    mv[p] += gram[p][q] * v[q];
                }
            }
            lambda = Math.sqrt(java.util.Arrays.stream(mv).map(t -> t * t).sum());
            for (int p = 0; p <= d; p++) {
                v[p] = mv[p] / lambda;
            }
        }
        double lipschitz = l2 + 1.01 * lambda / 2;
        double step = 1 / lipschitz;
        double gmax = Double.POSITIVE_INFINITY;
        for (int it = 0; it < 2_000_000 && gmax > 1e-8; it++) {
            objective(x, y, s, l2, w, b, gw, gb);
            gmax = 0;
            for (int q = 0; q < w.length; q++) {
                w[q] -= step * gw[q];
                gmax = Math.max(gmax, Math.abs(gw[q]));
            }
            for (int k = 0; k < 3; k++) {
                b[k] -= step * gb[k];
                gmax = Math.max(gmax, Math.abs(gb[k]));
            }
        }
        assertTrue(gmax <= 1e-8, "gradient descent did not converge: " + gmax);

        TrainingSet data = new TrainingSet(x, range(60), y, weight, CLASSES);
        LogisticModel m = new LogisticRegression(new LogisticRegression.Options(l2, 1e-12, 1000, false))
                .fit(Fixtures.BACKEND, data);
        assertTrue(m.converged());
        assertArrayEquals(w, m.coefficients(), 1e-5);
        assertArrayEquals(b, m.intercepts(), 1e-5);
    }

    @Test
    void aRowOfWeightTwoCountsAsTwoRows() {
        FloatMatrix x = Fixtures.blobs(3, 10, 3, 2f, 5);
        int[] y = Fixtures.blobTruth(30, 3);
        float[] weight = new float[30];
        java.util.Arrays.fill(weight, 1f);
        weight[4] = 2f;
        int[] rows = new int[31];
        int[] target = new int[31];
        for (int i = 0; i < 30; i++) {
            rows[i] = i;
            target[i] = y[i];
        }
        rows[30] = 4;
        target[30] = y[4];
        LogisticRegression lr = new LogisticRegression(new LogisticRegression.Options(1, 1e-12, 1000, false));
        LogisticModel weighted = lr.fit(Fixtures.BACKEND, new TrainingSet(x, range(30), y, weight, CLASSES));
        LogisticModel duplicated = lr.fit(Fixtures.BACKEND, new TrainingSet(x, rows, target, null, CLASSES));
        assertArrayEquals(duplicated.coefficients(), weighted.coefficients(), 1e-6);
    }

    @Test
    void standardizingEqualsFittingOnStandardizedFeatures() {
        FloatMatrix x = Fixtures.blobs(3, 30, 3, 2f, 7);
        float[] a = x.data();
        for (int i = 0; i < 90; i++) {
            a[i * 3] = a[i * 3] * 100 + 40;
            a[i * 3 + 2] = 5;
        }
        int[] y = Fixtures.blobTruth(90, 3);
        double[] mean = new double[3];
        double[] sd = new double[3];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 90; i++) {
                mean[j] += a[i * 3 + j] / 90.0;
            }
            for (int i = 0; i < 90; i++) {
                sd[j] += Math.pow(a[i * 3 + j] - mean[j], 2) / 90.0;
            }
            sd[j] = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
        }
        float[] z = new float[a.length];
        for (int i = 0; i < 90; i++) {
            for (int j = 0; j < 3; j++) {
                z[i * 3 + j] = (float) ((a[i * 3 + j] - mean[j]) / sd[j]);
            }
        }
        FloatMatrix standardized = new FloatMatrix(90, 3, z);
        LogisticModel auto = new LogisticRegression(new LogisticRegression.Options(1, 1e-10, 1000, true))
                .fit(Fixtures.BACKEND, new TrainingSet(x, range(90), y, null, CLASSES));
        LogisticModel manual = new LogisticRegression(new LogisticRegression.Options(1, 1e-10, 1000, false))
                .fit(Fixtures.BACKEND, new TrainingSet(standardized, range(90), y, null, CLASSES));
        assertArrayEquals(manual.probabilities(Fixtures.BACKEND, standardized), auto.probabilities(Fixtures.BACKEND, x),
                1e-4f);
    }

    @Test
    void sameCoefficientsForEveryThreadCount() {
        FloatMatrix x = Fixtures.blobs(4, 1000, 20, 3f, 11);
        int[] y = Fixtures.blobTruth(4000, 4);
        TrainingSet data = new TrainingSet(x, range(4000), y, null, new int[] {0, 1, 2, 3});
        LogisticRegression lr = new LogisticRegression(new LogisticRegression.Options(1, 1e-6, 30, false));
        ForkJoinPool one = new ForkJoinPool(1);
        ForkJoinPool three = new ForkJoinPool(3);
        try {
            LogisticModel a = lr.fit(Fixtures.withThreads(one), data);
            LogisticModel b = lr.fit(Fixtures.withThreads(three), data);
            assertArrayEquals(a.coefficients(), b.coefficients(), 0.0);
            assertArrayEquals(a.intercepts(), b.intercepts(), 0.0);
            assertEquals(a.iterations(), b.iterations());
        } finally {
            one.shutdown();
            three.shutdown();
        }
    }

    @Test
    void separatesBlobsAndGivesProbabilities() {
        FloatMatrix x = Fixtures.blobs(3, 50, 5, 1f, 2);
        int[] y = Fixtures.blobTruth(150, 3);
        LogisticModel m = new LogisticRegression(LogisticRegression.Options.defaults())
                .fit(Fixtures.BACKEND, TrainingSet.of(x, Labels.of(y, "y")));
        assertEquals(1.0, m.predict(Fixtures.BACKEND, x).accuracy(y, range(150)));
        float[] p = m.probabilities(Fixtures.BACKEND, x);
        for (int i = 0; i < 150; i++) {
            assertEquals(1.0, p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2], 1e-5);
        }
    }

    @Test
    void badOptionsAndRowsAreRefused() {
        assertThrows(DataException.class, () -> new LogisticRegression.Options(-1, 1e-4, 100, false));
        assertThrows(DataException.class, () -> new LogisticRegression.Options(1, 1e-4, 0, false));
        FloatMatrix x = Fixtures.blobs(2, 5, 3, 1f, 1);
        LogisticModel m = new LogisticRegression(LogisticRegression.Options.defaults())
                .fit(Fixtures.BACKEND, TrainingSet.of(x, Labels.of(Fixtures.blobTruth(10, 2), "y")));
        DataException e = assertThrows(DataException.class,
                () -> m.probabilities(Fixtures.BACKEND, FloatMatrix.zeros(2, 4)));
        assertTrue(e.getMessage().contains("3 features"), e.getMessage());
    }

    @Test
    void softmaxOfHandComputedScores() {
        // Scores 0 and ln 3: probabilities 1/4 and 3/4; shifted by the maximum the scores are -ln 3 and 0, and
        // the returned log normalizer is log(1/3 + 1) = log(4/3).
        double[] z = {0, Math.log(3)};
        double[] p = new double[2];
        assertEquals(Math.log(4.0 / 3), org.labelprop.core.Prediction.softmax(z, p), 1e-15);
        assertArrayEquals(new double[] {0.25, 0.75}, p, 1e-15);
        assertArrayEquals(new double[] {-Math.log(3), 0}, z, 1e-15);
        // Scores far beyond exp's range give the same probabilities; probabilities may overwrite the scores.
        double[] large = {1000, 1000 + Math.log(3)};
        org.labelprop.core.Prediction.softmax(large, large);
        assertArrayEquals(new double[] {0.25, 0.75}, large, 1e-12);
        // All-zero scores: every class equally likely.
        double[] zero = new double[4];
        assertEquals(Math.log(4), org.labelprop.core.Prediction.softmax(zero, zero), 1e-15);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, zero, 0);
    }

    static int[] range(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }
}
