package org.labelprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.search.Metric;

class KnnClassifierTest {
    /** Training rows on a line at 0, 1, 3 (classes 0, 1, 1), weights 1, 1, 2. */
    private static final FloatMatrix TRAIN = new FloatMatrix(3, 1, new float[] {0, 1, 3});
    private static final TrainingSet DATA = new TrainingSet(TRAIN, new int[] {0, 1, 2}, new int[] {0, 1, 1},
            new float[] {1, 1, 2}, new int[] {4, 9});

    @Test
    void distanceWeightedVotesMatchTheFormula() {
        KnnModel m = new KnnClassifier(new KnnClassifier.Options(2, Metric.EUCLIDEAN, KnnClassifier.Vote.DISTANCE))
                .fit(Fixtures.BACKEND, DATA);
        float[] p = m.probabilities(Fixtures.BACKEND, new FloatMatrix(2, 1, new float[] {0.25f, 1f}));
        // 0.25: neighbours 0 (d 0.25, class 0) and 1 (d 0.75, class 1): votes 4 and 4/3.
        assertEquals(4 / (4 + 4 / 3.0), p[0], 1e-6);
        assertEquals(1, p[1] + p[0], 1e-6);
        // 1.0 sits on a training row: only rows at distance 0 vote.
        assertArrayEquals(new float[] {0, 1}, new float[] {p[2], p[3]});
        assertArrayEquals(new int[] {4, 9}, m.predict(Fixtures.BACKEND,
                new FloatMatrix(2, 1, new float[] {0.25f, 1f})).label());
    }

    @Test
    void uniformVotesCountRowWeights() {
        KnnModel m = new KnnClassifier(new KnnClassifier.Options(3, Metric.EUCLIDEAN, KnnClassifier.Vote.UNIFORM))
                .fit(Fixtures.BACKEND, DATA);
        float[] p = m.probabilities(Fixtures.BACKEND, new FloatMatrix(1, 1, new float[] {0}));
        assertArrayEquals(new float[] {0.25f, 0.75f}, p, 1e-6f);
    }
}
