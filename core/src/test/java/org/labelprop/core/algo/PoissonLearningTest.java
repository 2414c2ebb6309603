package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.testing.TestData;

/** Poisson learning's iteration reaches the solution of L u = b solved directly, mean-zero on both sides. */
class PoissonLearningTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void iterationEqualsTheDirectSolve(long seed) {
        int n = 40;
        int c = 3;
        CsrGraph w = FixedPointTest.connected(n, seed);
        Labels labels = Labels.of(TestData.fewLabels(n, c, 1 + (int) seed), "labels");
        PoissonLearning.Scores s = PoissonLearning.solve(REF, w, labels, new PoissonLearning.Options(20_000, 20_000),
                Progress.NONE);
        assertEqualsUpToTheMean(direct(w, labels), s.u());
    }

    /** Soft labels: each labeled row's source scaled by its confidence, around the weighted mean. */
    @Test
    void softLabelsEqualTheDirectSolveOfTheWeightedSource() {
        int n = 40;
        int c = 3;
        CsrGraph w = FixedPointTest.connected(n, 7);
        float[] confidence = new float[n];
        for (int i = 0; i < n; i++) {
            confidence[i] = 0.2f + 0.8f * ((i * 37) % 11) / 10f;
        }
        Labels labels = Labels.of(TestData.fewLabels(n, c, 3), "labels").withConfidence(confidence, "confidence");
        float[] got = PoissonLearning.solve(REF, w, labels, new PoissonLearning.Options(20_000, 20_000),
                Progress.NONE).u();
        assertEqualsUpToTheMean(direct(w, labels), got);
    }

    @Test
    void predictsTheArgmaxOfTheSolutionAndStopsWhenTheWalkHasMixed() {
        int n = 40;
        int c = 3;
        CsrGraph w = FixedPointTest.connected(n, 5);
        Labels labels = Labels.of(TestData.fewLabels(n, c, 1), "labels");
        PropagationResult r = PoissonLearning.fit(REF, w, labels, PoissonLearning.Options.defaults(), Progress.NONE);
        assertTrue(r.converged());
        // u_1 is the start, so minIter 50 means 49 propagation steps.
        assertTrue(r.iterations() >= 49 && r.iterations() < 1000, "iterations " + r.iterations());
        double[][] u = direct(w, labels);
        Prediction p = r.prediction();
        int agree = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < c; k++) {
                best = u[i][k] > u[i][best] ? k : best;
            }
            agree += p.label()[i] == best ? 1 : 0;
            assertEquals(1.0, p.probability(i, 0) + p.probability(i, 1) + p.probability(i, 2), 1e-5);
        }
        // The mixing rule stops early, not at the fixed point: nearly all rows already agree.
        assertTrue(agree >= n - 2, agree + " of " + n + " rows agree with the direct solve");
    }

    @Test
    void reportsAStopAtTheLimit() {
        CsrGraph w = FixedPointTest.connected(40, 5);
        Labels labels = Labels.of(TestData.fewLabels(40, 3, 1), "labels");
        assertFalse(PoissonLearning.fit(REF, w, labels, new PoissonLearning.Options(1, 2), Progress.NONE).converged());
    }

    @Test
    void optionsNameTheirParameter() {
        assertEquals("PoissonLearning.Options.minIter",
                assertThrows(InvalidOptionException.class, () -> new PoissonLearning.Options(0, 10)).parameter());
        assertEquals("PoissonLearning.Options.maxIter",
                assertThrows(InvalidOptionException.class, () -> new PoissonLearning.Options(50, 10)).parameter());
    }

    /** The iterate minus its mean per class equals the mean-zero direct solution within 1e-5. */
    private static void assertEqualsUpToTheMean(double[][] u, float[] got) {
        int n = u.length;
        int c = u[0].length;
        for (int k = 0; k < c; k++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += got[i * c + k] / (double) n;
            }
            for (int i = 0; i < n; i++) {
                assertEquals(u[i][k], got[i * c + k] - mean, 1e-5, "row " + i + " class " + k);
            }
        }
    }

    /** L u = b with 1^T u = 0, as (L + 1 1^T) u = b: for a connected graph the only solution. */
    private static double[][] direct(CsrGraph w, Labels labels) {
        int n = w.rows();
        int c = labels.classCount();
        double[][] a = FixedPointTest.dense(w);
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 0;
        }
        for (int i = 0; i < n; i++) {
            double d = java.util.Arrays.stream(a[i]).sum();
            for (int j = 0; j < n; j++) {
                l[i][j] = (i == j ? d : 0) - a[i][j] + 1;
            }
        }
        double[] mean = labels.classPriors();
        double[][] b = new double[n][c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; labels.isLabeled(i) && k < c; k++) {
                b[i][k] = labels.confidence(i) * ((labels.column(i) == k ? 1 : 0) - mean[k]);
            }
        }
        return FixedPointTest.solve(l, b);
    }
}
