package org.labelprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvaluationTest {
    private static final int U = Label.UNLABELED;

    /**
     * Ten rows, classes 2, 4 and 7 in the prediction. Rows 0 and 1 were labeled in the input and row 9 has no
     * true label, so rows 2..8 are scored:
     * <pre>
     * row      2  3  4  5  6  7  8
     * truth    2  2  4  4  4  7  8     (8: a class the prediction does not know)
     * label    2  4  4  4  U  2  7     (U: no labeled row reached it)
     * </pre>
     * By hand, rows true class, columns predicted 2, 4, 7, 8, none:
     * <pre>
     * 2: 1 1 0 0 0
     * 4: 0 2 0 0 1
     * 7: 1 0 0 0 0
     * 8: 0 0 1 0 0
     * </pre>
     * accuracy 3/7; precision of 2: 1/2, of 4: 2/3, of 7: 0/1, of 8: undefined; recall 1/2, 2/3, 0/1, 0/1.
     */
    @Test
    void confusionMatrixAndScoresMatchTheHandComputedOnes() {
        int[] given = {2, 4, U, U, U, U, U, U, U, U};
        int[] truth = {2, 4, 2, 2, 4, 4, 4, 7, 8, U};
        int[] label = {2, 4, 2, 4, 4, 4, U, 2, 7, 2};
        float[] confidence = new float[10];
        Prediction p = new Prediction(new int[] {2, 4, 7}, new float[30], label, confidence);

        int[] rows = Evaluation.heldOut(given, truth);
        assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 8}, rows);
        Evaluation e = Evaluation.of(p, truth, rows);

        assertArrayEquals(new int[] {2, 4, 7, 8}, e.classes());
        assertArrayEquals(new long[] {
            1, 1, 0, 0, 0,
            0, 2, 0, 0, 1,
            1, 0, 0, 0, 0,
            0, 0, 1, 0, 0,
        }, e.confusion());
        assertEquals(7, e.scored());
        assertEquals(3.0 / 7, e.accuracy(), 1e-12);
        assertEquals(0.5, e.precision(0), 1e-12);
        assertEquals(2.0 / 3, e.precision(1), 1e-12);
        assertEquals(0.0, e.precision(2));
        assertTrue(Double.isNaN(e.precision(3)));
        assertEquals(0.5, e.recall(0), 1e-12);
        assertEquals(2.0 / 3, e.recall(1), 1e-12);
        assertEquals(0.0, e.recall(2));
        assertEquals(0.0, e.recall(3));
        assertEquals(0.5, e.f1(0), 1e-12);
        assertEquals(2.0 / 3, e.f1(1), 1e-12);
        assertEquals(0.0, e.f1(2));
        assertTrue(Double.isNaN(e.f1(3)));
        assertEquals(p.accuracy(truth, rows), e.accuracy(), 1e-12);
    }

    @Test
    void nothingToScoreGivesNoClassesAndUndefinedAccuracy() {
        Prediction p = new Prediction(new int[] {0}, new float[2], new int[] {0, 0}, new float[2]);
        Evaluation e = Evaluation.of(p, new int[] {0, U}, Evaluation.heldOut(new int[] {0, U}, new int[] {0, U}));
        assertEquals(0, e.classCount());
        assertTrue(Double.isNaN(e.accuracy()));
    }
}
