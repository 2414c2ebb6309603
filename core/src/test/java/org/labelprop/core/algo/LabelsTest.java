package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.DataException;

class LabelsTest {
    @Test
    void anyNonNegativeLabelsWithGapsMapToDenseColumns() {
        Labels l = Labels.of(new int[] {2147483647, -1, 7, 0, 7, -1}, "labels");
        assertArrayEquals(new int[] {0, 7, 2147483647}, l.classes());
        assertEquals(2, l.column(0));
        assertEquals(-1, l.column(1));
        assertEquals(1, l.column(2));
        assertEquals(0, l.column(3));
        assertEquals(4, l.labeledCount());
        assertArrayEquals(new double[] {0.25, 0.5, 0.25}, l.classPriors(), 1e-12);
    }

    @Test
    void confidencesScaleTheOneHotRowsAndTheClassShares() {
        Labels l = Labels.of(new int[] {0, -1, 1, 1}, "labels").withConfidence(new float[] {0.5f, 0f, 1f, 0.5f}, "c.csv");
        assertArrayEquals(new float[] {0.5f, 0, 0, 0, 0, 1, 0, 0.5f}, l.oneHot());
        assertArrayEquals(new double[] {0.25, 0.75}, l.classPriors(), 1e-12);
        assertEquals("c.csv: row 3: confidence 0.0 of a labeled row is outside (0, 1]; leave the row unlabeled "
                + "instead of giving it 0", assertThrows(DataException.class, () -> Labels.of(new int[] {0, -1, 1},
                "labels").withConfidence(new float[] {1, 1, 0}, "c.csv")).getMessage());
        assertEquals("c.csv has 2 rows but the labels 3; give one confidence per row", assertThrows(
                DataException.class, () -> Labels.of(new int[] {0, -1, 1}, "labels").withConfidence(new float[2],
                        "c.csv")).getMessage());
    }

    /** Spreading with soft labels reaches (1 - alpha)(I - alpha S)^-1 Y0 with the scaled one-hot rows. */
    @Test
    void spreadingWithConfidencesReachesTheWeightedClosedForm() {
        int n = 40;
        int c = 3;
        org.labelprop.core.graph.CsrGraph w = FixedPointTest.connected(n, 12);
        float[] confidence = new float[n];
        for (int i = 0; i < n; i++) {
            confidence[i] = 0.1f + 0.9f * ((i * 13) % 7) / 6f;
        }
        Labels labels = Labels.of(org.labelprop.core.testing.TestData.fewLabels(n, c, 3), "labels")
                .withConfidence(confidence, "confidence");
        float alpha = 0.9f;
        PropagationResult r = LabelSpreading.fit(new org.labelprop.core.backend.ReferenceBackend(
                java.util.concurrent.ForkJoinPool.commonPool()), w, labels,
                new LabelSpreading.Options(alpha, 1e-7, 100_000, Convergence.RELATIVE_CHANGE, false, true),
                org.labelprop.core.Progress.NONE);
        double[][] s = FixedPointTest.dense(GraphNormalization.symmetricNormalized(w, ForkJoinPool.commonPool()));
        double[][] a = new double[n][n];
        double[][] b = new double[n][c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = (i == j ? 1 : 0) - alpha * s[i][j];
            }
            if (labels.isLabeled(i)) {
                b[i][labels.column(i)] = (1 - alpha) * confidence[i];
            }
        }
        double[][] f = FixedPointTest.solve(a, b);
        for (int i = 0; i < n; i++) {
            double sum = java.util.Arrays.stream(f[i]).sum();
            for (int k = 0; k < c; k++) {
                assertEquals(f[i][k] / sum, r.prediction().probability(i, k), 1e-4, "row " + i + " class " + k);
            }
        }
    }
}
