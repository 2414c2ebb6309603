package org.labelprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PredictionTest {
    /** Four rows over classes labelled 3, 5 and 9: a clear winner, a tie, no mass at all, a winner at the end. */
    private static final float[] DISTRIBUTION = {
        0.2f, 0.7f, 0.1f,
        0.4f, 0.4f, 0.2f,
        0f, 0f, 0f,
        0.1f, 0.3f, 0.6f,
    };

    @Test
    void argmaxTakesTheLowestColumnOfTheHighestProbabilityAndMinusOneWithoutMass() {
        assertEquals(1, Prediction.argmax(DISTRIBUTION, 0, 3));
        assertEquals(0, Prediction.argmax(DISTRIBUTION, 1, 3));
        assertEquals(-1, Prediction.argmax(DISTRIBUTION, 2, 3));
        assertEquals(2, Prediction.argmax(DISTRIBUTION, 3, 3));
    }

    @Test
    void ofLabelsEachRowWithItsClassAndProbability() {
        Prediction p = Prediction.of(new int[] {3, 5, 9}, DISTRIBUTION);
        assertArrayEquals(new int[] {5, 3, Label.UNLABELED, 9}, p.label());
        assertArrayEquals(new float[] {0.7f, 0.4f, 0f, 0.6f}, p.confidence());
        assertEquals(4, p.rows());
        assertEquals(3, p.classCount());
        assertEquals(0.3f, p.probability(3, 1));
        assertEquals(-1, Label.UNLABELED);
    }

    @Test
    void accuracyCountsTheGivenRowsOnly() {
        Prediction p = Prediction.of(new int[] {3, 5, 9}, DISTRIBUTION);
        int[] truth = {5, 5, 3, 9};
        // Row 0 right, row 1 wrong, row 2 (no label) wrong, row 3 right.
        assertEquals(0.5, p.accuracy(truth, new int[] {0, 1, 2, 3}));
        assertEquals(1.0, p.accuracy(truth, new int[] {3, 0}));
        assertEquals(0.0, p.accuracy(truth, new int[] {2}));
        assertEquals(Double.NaN, p.accuracy(truth, new int[0]));
    }

    @Test
    void shapesThatDisagreeAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Prediction(new int[] {0, 1}, new float[3], new int[2], new float[2]));
        assertThrows(IllegalArgumentException.class,
                () -> new Prediction(new int[] {0, 1}, new float[4], new int[2], new float[1]));
    }

    @Test
    void classCountsAndConfidenceSummaryOverTheGivenRows() {
        Prediction p = Prediction.of(new int[] {3, 5, 9}, DISTRIBUTION);
        // Labels 5, 3, none, 9 with confidences 0.7, 0.4, 0, 0.6.
        assertArrayEquals(new long[] {1, 1, 1, 1}, p.classCounts(new int[] {0, 1, 2, 3}));
        assertArrayEquals(new long[] {1, 0, 1, 0}, p.classCounts(new int[] {1, 3}));
        Prediction.ConfidenceSummary all = p.confidenceSummary(new int[] {0, 1, 2, 3});
        assertEquals(0.0, all.min());
        assertEquals((0.4f + 0.6f) / 2.0, all.median(), 1e-7);
        assertEquals((0.7f + 0.4f + 0f + 0.6f) / 4.0, all.mean(), 1e-7);
        assertEquals(0.6f, p.confidenceSummary(new int[] {0, 1, 3}).median(), 1e-7);
        assertTrue(Double.isNaN(p.confidenceSummary(new int[0]).mean()));
    }
}
