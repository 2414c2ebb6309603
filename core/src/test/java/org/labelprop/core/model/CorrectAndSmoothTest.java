package org.labelprop.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.testing.TestData;

/** Correct and Smooth against the same steps written as plain dense matrix products. */
class CorrectAndSmoothTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());

    @Test
    void equalsThePlainMatrixForm() {
        int n = 60;
        int c = 3;
        CsrGraph w = TestData.randomGraph(n, 6, 5);
        Labels labels = Labels.of(TestData.fewLabels(n, c, 4), "labels");
        Random r = new Random(2);
        float[] z = new float[n * c];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < c; k++) {
                z[i * c + k] = r.nextFloat();
                s += z[i * c + k];
            }
            for (int k = 0; k < c; k++) {
                z[i * c + k] /= (float) s;
            }
        }
        CorrectAndSmooth.Options o = new CorrectAndSmooth.Options(0.7f, 0.9f, 30);
        Prediction got = CorrectAndSmooth.apply(REF, w, labels, Prediction.of(labels.classes(), z), o, Progress.NONE);

        double[][] s = normalized(w);
        double[][] y = new double[n][c];
        double[][] e = new double[n][c];
        double sigma = 0;
        for (int i = 0; i < n; i++) {
            if (labels.isLabeled(i)) {
                y[i][labels.column(i)] = 1;
                for (int k = 0; k < c; k++) {
                    e[i][k] = y[i][k] - z[i * c + k];
                    sigma += Math.abs(e[i][k]) / labels.labeledCount();
                }
            }
        }
        double[][] eHat = spread(s, e, 0.7, 30);
        double[][] g = new double[n][c];
        for (int i = 0; i < n; i++) {
            double size = java.util.Arrays.stream(eHat[i]).map(Math::abs).sum();
            for (int k = 0; k < c; k++) {
                g[i][k] = labels.isLabeled(i) ? y[i][k] : z[i * c + k] + (size > 0 ? sigma / size : 0) * eHat[i][k];
            }
        }
        double[][] smooth = spread(s, g, 0.9, 30);
        for (int i = 0; i < n; i++) {
            double sum = java.util.Arrays.stream(smooth[i]).map(v -> Math.max(v, 0)).sum();
            for (int k = 0; k < c; k++) {
                assertEquals(Math.max(smooth[i][k], 0) / sum, got.probability(i, k), 1e-5, "row " + i + " class " + k);
            }
        }
    }

    @Test
    void fitsTheBaseClassifierOnTheLabeledRows() {
        FloatMatrix x = TestData.blobs(3, 50, 5, 1f, 9);
        Labels labels = Labels.of(TestData.fewLabels(x.rows(), 3, 3), "labels");
        CsrGraph g = KnnGraph.build(REF, x, KnnGraph.Options.defaults(), Progress.NONE).graph();
        LogisticRegression base = new LogisticRegression(LogisticRegression.Options.defaults());
        Prediction z = base.fit(REF, TrainingSet.of(x, labels)).predict(REF, x);
        CorrectAndSmooth.Options o = CorrectAndSmooth.Options.defaults();
        assertArrayEquals(CorrectAndSmooth.apply(REF, g, labels, z, o, Progress.NONE).distribution(),
                CorrectAndSmooth.fit(REF, g, x, labels, base, o, Progress.NONE).distribution());
    }

    /** D^-1/2 W D^-1/2 without the diagonal, degrees the column sums off the diagonal. */
    private static double[][] normalized(CsrGraph w) {
        int n = w.rows();
        double[][] a = new double[n][n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            for (int e = w.rowPtr()[i]; e < w.rowPtr()[i + 1]; e++) {
                if (w.col()[e] != i) {
                    a[i][w.col()[e]] = w.weight()[e];
                    d[w.col()[e]] += w.weight()[e];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] *= (d[i] == 0 ? 1 : 1 / Math.sqrt(d[i])) * (d[j] == 0 ? 1 : 1 / Math.sqrt(d[j]));
            }
        }
        return a;
    }

    /** steps of Y <- alpha S Y + (1 - alpha) Y0 from Y0. */
    private static double[][] spread(double[][] s, double[][] y0, double alpha, int steps) {
        int n = s.length;
        int c = y0[0].length;
        double[][] y = y0;
        for (int t = 0; t < steps; t++) {
            double[][] next = new double[n][c];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < c; k++) {
                    double v = 0;
                    for (int j = 0; j < n; j++) {
                        v += s[i][j] * y[j][k];
                    }
                    next[i][k] = alpha * v + (1 - alpha) * y0[i][k];
                }
            }
            y = next;
        }
        return y;
    }
}
