package org.labelprop.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.testing.TestData;

/**
 * The pruned exact search gives the reference backend's all-pairs lists bit for bit: its bound never rules out a
 * neighbour, however far the data lies from the origin, with ties and repeated rows, and it declines data it cannot
 * prune. Run here on the reference backend, whose pairsWithin is the plain loop; the cpu module runs it on tiles.
 */
class PrunedExactSearchTest {
    private static final ForkJoinPool POOL = new ForkJoinPool(2);
    private static final ReferenceBackend REF = new ReferenceBackend(POOL);

    @AfterAll
    static void stop() {
        POOL.shutdown();
    }

    static Stream<Arguments> data() {
        return Stream.of(
                Arguments.of("near a 6-dimensional subspace", TestData.lowRank(1500, 64, 6, 0.05f, 0f, false, 1), 10),
                Arguments.of("the same 40 from the origin in every feature",
                        TestData.lowRank(1500, 64, 6, 0.05f, 40f, false, 2), 10),
                Arguments.of("the same 10,000 from the origin, the spread a five-hundredth of that",
                        TestData.lowRank(1500, 64, 6, 0.01f, 1e4f, false, 12), 10),
                Arguments.of("integers: ties and repeated rows", TestData.lowRank(3000, 64, 3, 0f, 5f, true, 3), 7),
                Arguments.of("k = 1", TestData.lowRank(1200, 40, 4, 0.1f, 0f, false, 4), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("data")
    void theListsAreTheReferenceBackendsBitForBit(String name, FloatMatrix x, int k) {
        Neighbors pruned = PrunedExactSearch.searchAnySize(REF, x, k, Progress.NONE);
        assertNotNull(pruned, "the bound should pay on " + name);
        Neighbors all = REF.nearest(x, x, k, true, Progress.NONE);
        assertArrayEquals(all.index(), pruned.index());
        assertArrayEquals(all.distance(), pruned.distance());
    }

    /** The integer data above has what the test is for: rows whose k-th and (k + 1)-th distances tie. */
    @Test
    void theIntegerDataTiesAtTheKthPlace() {
        FloatMatrix x = (FloatMatrix) data().toList().get(3).get()[1];
        Neighbors wider = REF.nearest(x, x, 8, true, Progress.NONE);
        int ties = 0;
        for (int i = 0; i < x.rows(); i++) {
            if (wider.distance(i, 6) == wider.distance(i, 7)) {
                ties++;
            }
        }
        assertTrue(ties > 100, ties + " rows tie at the 7th place");
    }

    /** Isotropic noise has no few directions that hold most of its variance: the bound would rule out nothing. */
    @Test
    void declinesDataWithoutFewStrongDirections() {
        assertNull(PrunedExactSearch.searchAnySize(REF, TestData.gaussian(2000, 64, 5), 10, Progress.NONE));
    }

    /** On a backend without tiled pairsWithin, ExactSearch searches all pairs whatever the size. */
    @Test
    void plainBackendsSearchAllPairs() {
        FloatMatrix x = TestData.lowRank(2000, PrunedExactSearch.MIN_FEATURES, 4, 0.1f, 0f, false, 6);
        assertNotNull(PrunedExactSearch.searchAnySize(REF, x, 10, Progress.NONE), "the data can be pruned");
        assertNull(PrunedExactSearch.search(REF, x, 10, Progress.NONE), "the reference backend has no tiles");
    }

    /**
     * The bound rows' distance, as the float rows give it, is at most the rows' exact distance plus the slack the
     * ceilings add, for every pair, on data far from the origin (where float rounding is largest next to the
     * distances); and it is not trivially zero: it holds most of each distance.
     */
    @Test
    void theBoundIsALowerBoundOfEveryDistance() {
        FloatMatrix x = TestData.lowRank(1000, 128, 8, 0.2f, 100f, false, 7);
        PrunedExactSearch.Bound bound = PrunedExactSearch.Bound.fit(REF, x);
        assertNotNull(bound);
        FloatMatrix z = bound.rows();
        double boundSum = 0;
        double distSum = 0;
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < x.rows(); j++) {
                double exact = x.squaredDistance(i, x, j);
                double lower = z.squaredDistance(i, z, j);
                assertTrue(lower <= exact + bound.slack(i), "pair " + i + ", " + j + ": " + lower + " > " + exact);
                boundSum += lower;
                distSum += exact;
            }
        }
        assertTrue(boundSum > 0.9 * distSum, "the bound holds " + boundSum / distSum + " of the distances");
    }

    /** A row with fewer than k candidates (no candidates at all here) is searched against every row. */
    @Test
    void rowsWithoutCandidatesAreSearchedAgainstAllRows() {
        FloatMatrix x = TestData.lowRank(300, 20, 3, 0.1f, 0f, true, 8);
        CsrGraph none = CsrGraph.of(300, new int[301], new int[0], new float[0]);
        Neighbors got = PrunedExactSearch.nearestAmong(REF, x, none, java.util.stream.IntStream.range(0, 300).toArray(), 5);
        Neighbors want = REF.nearest(x, x, 5, true, Progress.NONE);
        assertArrayEquals(want.index(), got.index());
        assertArrayEquals(want.distance(), got.distance());
    }

    /**
     * The k-d order on 4,096 rows uniform in a square (and a third feature it ignores): a permutation, and each run of
     * 256 rows one of the 4 x 4 cells of median splits, so its ranges in both features are about a quarter of the
     * square's side (under a third asserted), where rows sorted by the first feature alone span the whole second.
     */
    @Test
    void compactOrderKeepsConsecutiveRowsCloseInTheFirstTwoFeatures() {
        int n = 4096;
        java.util.Random r = new java.util.Random(3);
        float[] data = new float[n * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextFloat();
        }
        int[] order = PrunedExactSearch.compactOrder(new FloatMatrix(n, 3, data));
        assertArrayEquals(java.util.stream.IntStream.range(0, n).toArray(),
                java.util.Arrays.stream(order).sorted().toArray());
        for (int cell = 0; cell < n; cell += PrunedExactSearch.ORDER_LEAF) {
            for (int f = 0; f < 2; f++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int s = cell; s < cell + PrunedExactSearch.ORDER_LEAF; s++) {
                    lo = Math.min(lo, data[order[s] * 3 + f]);
                    hi = Math.max(hi, data[order[s] * 3 + f]);
                }
                assertTrue(hi - lo < 1 / 3f, "cell at " + cell + ", feature " + f + ": range " + (hi - lo));
            }
        }
    }
}
