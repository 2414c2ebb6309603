package org.labelprop.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.backend.TwoWayNeighbors;
import org.labelprop.core.testing.KnnAssertions;
import org.labelprop.core.testing.TestData;

class KnnSearchTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());
    private static final int K = 10;

    /** Every n in {1, 2, k, k+1, 1000} with every dimension in {1, 3, 17, 784}. */
    static java.util.stream.Stream<Arguments> sizes() {
        return java.util.stream.IntStream.of(1, 2, K, K + 1, 1000).boxed()
                .flatMap(n -> java.util.stream.IntStream.of(1, 3, 17, 784).mapToObj(d -> Arguments.of(n, d)));
    }

    @ParameterizedTest(name = "n={0} d={1}")
    @MethodSource("sizes")
    void referenceMatchesNaiveAllPairs(int n, int d) {
        FloatMatrix x = TestData.gaussian(n, d, 31L * n + d);
        Neighbors nb = KnnSearch.neighbors(REF, x, K, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE);
        // k >= n: every row gets all n - 1 others, and the neighbour list says so.
        assertEquals(Math.min(K, n - 1), nb.k());
        KnnAssertions.assertMatchesNaive(x, nb, true);
    }

    /**
     * queryBothWays is query() from each side, cosine included (each side's rows normalized, exact distances
     * in the metric's units); a side has at most as many entries as the other side has rows.
     */
    @Test
    void queryBothWaysIsTheQueryFromEachSide() {
        FloatMatrix base = TestData.gaussian(40, 9, 3);
        FloatMatrix queries = TestData.gaussian(7, 9, 4);
        for (Metric metric : Metric.values()) {
            TwoWayNeighbors both = KnnSearch.queryBothWays(REF, base, queries, K, metric);
            Neighbors ofQueries = KnnSearch.query(REF, base, queries, K, metric, Progress.NONE);
            Neighbors ofBase = KnnSearch.query(REF, queries, base, 7, metric, Progress.NONE);
            assertArrayEquals(ofQueries.index(), both.ofQueries().index());
            assertArrayEquals(ofQueries.distance(), both.ofQueries().distance());
            assertEquals(7, both.ofBase().k());
            assertArrayEquals(ofBase.index(), both.ofBase().index());
            assertArrayEquals(ofBase.distance(), both.ofBase().distance());
        }
    }

    @Test
    void includeSelfPutsEachRowFirstAtDistanceZero() {
        FloatMatrix x = TestData.gaussian(50, 5, 7);
        Neighbors with = KnnSearch.neighbors(REF, x, 4, Metric.EUCLIDEAN, true, ExactSearch.INSTANCE, Progress.NONE);
        Neighbors without = KnnSearch.neighbors(REF, x, 3, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, with.neighbor(i, 0));
            assertEquals(0f, with.distance(i, 0));
            for (int p = 0; p < 3; p++) {
                assertEquals(without.neighbor(i, p), with.neighbor(i, p + 1));
            }
        }
    }

    @Test
    void cosineIsEuclideanBetweenUnitVectorsHalvedSquared() {
        FloatMatrix x = TestData.gaussian(200, 9, 3);
        Neighbors nb = KnnSearch.neighbors(REF, x, 5, Metric.COSINE, false, ExactSearch.INSTANCE, Progress.NONE);
        for (int i = 0; i < x.rows(); i++) {
            for (int p = 0; p < 5; p++) {
                int j = nb.neighbor(i, p);
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int t = 0; t < 9; t++) {
                    dot += (double) x.get(i, t) * x.get(j, t);
                    ni += (double) x.get(i, t) * x.get(i, t);
                    nj += (double) x.get(j, t) * x.get(j, t);
                }
                assertEquals(1 - dot / Math.sqrt(ni * nj), nb.distance(i, p), 1e-5);
            }
        }
        // Scaling a row leaves its cosine neighbours unchanged.
        FloatMatrix scaled = new FloatMatrix(200, 9, x.data().clone());
        for (int t = 0; t < 9; t++) {
            scaled.set(0, t, scaled.get(0, t) * 7f);
        }
        Neighbors nb2 = KnnSearch.neighbors(REF, scaled, 5, Metric.COSINE, false, ExactSearch.INSTANCE, Progress.NONE);
        assertArrayEquals(java.util.Arrays.copyOf(nb.index(), 5), java.util.Arrays.copyOf(nb2.index(), 5));
    }

    @Test
    void duplicatesTieByIndex() {
        // Five identical rows and one far away: ties must resolve to the lowest indices.
        float[] data = {1, 1, 1, 1, 1, 9};
        Neighbors nb = KnnSearch.neighbors(REF, new FloatMatrix(6, 1, data), 2, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE);
        assertArrayEquals(new int[] {1, 2}, new int[] {nb.neighbor(0, 0), nb.neighbor(0, 1)});
        assertArrayEquals(new int[] {0, 1}, new int[] {nb.neighbor(4, 0), nb.neighbor(4, 1)});
        assertArrayEquals(new int[] {0, 1}, new int[] {nb.neighbor(5, 0), nb.neighbor(5, 1)});
    }
}
