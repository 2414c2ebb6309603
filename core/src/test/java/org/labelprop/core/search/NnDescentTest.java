package org.labelprop.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.testing.KnnAssertions;
import org.labelprop.core.testing.TestData;

class NnDescentTest {
    private static final ReferenceBackend REF = new ReferenceBackend(new ForkJoinPool(3));

    @Test
    void findsNearlyAllExactNeighbours() {
        FloatMatrix x = TestData.blobs(8, 300, 12, 1.5f, 3);
        Neighbors exact = KnnSearch.neighbors(REF, x, 10, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE);
        Neighbors approx = KnnSearch.neighbors(REF, x, 10, Metric.EUCLIDEAN, false, NnDescent.withDefaults(),
                Progress.NONE);
        double recall = KnnAssertions.recall(exact, approx);
        assertTrue(recall >= 0.95, "recall " + recall);
        // Distances of the chosen neighbours are exact, whatever search chose them.
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < 10; j++) {
                double d = Math.sqrt(ReferenceBackend.squaredDistance(x, i, x, approx.neighbor(i, j)));
                assertEquals(d, approx.distance(i, j), 1e-5 * Math.max(d, 1));
            }
        }
        // The sampled estimate agrees with the full count when the sample is every row.
        assertEquals(recall, KnnSearch.recall(REF, x, approx, Metric.EUCLIDEAN, x.rows(), 1), 1e-12);
    }

    @Test
    void sameSeedSameGraphOnAnyThreadCount() {
        NnDescent.Options o = NnDescent.Options.defaults().withSeed(7);
        KnnAssertions.assertSameOnAnyThreadCount(new NnDescent(o));
        FloatMatrix x = TestData.gaussian(3000, 6, 9);
        Neighbors a = new NnDescent(o).search(REF, x, 8, Progress.NONE);
        Neighbors c = new NnDescent(o.withSeed(8)).search(REF, x, 8, Progress.NONE);
        assertTrue(!java.util.Arrays.equals(a.index(), c.index()) || java.util.Arrays.equals(a.index(),
                KnnSearch.neighbors(REF, x, 8, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE).index()));
    }

    @Test
    void aWiderPoolRaisesRecallOnHighDimensionalData() {
        // Isotropic Gaussian in 32 dimensions: hard for NN-Descent with a pool of just k.
        FloatMatrix x = TestData.gaussian(3000, 32, 5);
        Neighbors exact = KnnSearch.neighbors(REF, x, 10, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE);
        NnDescent.Options d = NnDescent.Options.defaults();
        Neighbors narrow = KnnSearch.neighbors(REF, x, 10, Metric.EUCLIDEAN, false, new NnDescent(d), Progress.NONE);
        Neighbors wide = KnnSearch.neighbors(REF, x, 10, Metric.EUCLIDEAN, false,
                new NnDescent(new NnDescent.Options(d.seed(), d.maxRounds(), d.sampleRate(), d.delta(), d.trees(), 30)),
                Progress.NONE);
        assertEquals(10, wide.k());
        double r1 = KnnAssertions.recall(exact, narrow);
        double r3 = KnnAssertions.recall(exact, wide);
        assertTrue(r3 > r1 && r3 >= 0.95, "recall with pool k " + r1 + ", with pool 3k " + r3);
    }

    @Test
    void smallInputsFallBackToExactSearch() {
        FloatMatrix x = TestData.gaussian(30, 3, 1);
        assertArrayEquals(KnnSearch.neighbors(REF, x, 5, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE).index(),
                KnnSearch.neighbors(REF, x, 5, Metric.EUCLIDEAN, false, NnDescent.withDefaults(),
                        Progress.NONE).index());
    }
}
