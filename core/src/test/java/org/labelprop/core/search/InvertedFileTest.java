package org.labelprop.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.testing.KnnAssertions;
import org.labelprop.core.testing.TestData;

class InvertedFileTest {
    private static final ReferenceBackend REF = new ReferenceBackend(new ForkJoinPool(3));

    @Test
    void probingEveryListIsExactSearch() {
        FloatMatrix x = TestData.blobs(5, 120, 9, 2f, 11);
        Neighbors all = KnnSearch.neighbors(REF, x, 7, Metric.EUCLIDEAN, false,
                new InvertedFile(new InvertedFile.Options(3, 12, 12, 0, 5, 64)), Progress.NONE);
        KnnAssertions.assertMatchesNaive(x, all, true);
    }

    /** The order handed to the re-measure names every row once; the neighbours are those search() finds. */
    @Test
    void searchInOrderNamesEveryRowOnceAndFindsWhatSearchFinds() {
        FloatMatrix x = TestData.blobs(5, 120, 9, 2f, 11);
        InvertedFile ivf = new InvertedFile(new InvertedFile.Options(3, 12, 3, 0, 5, 64));
        NeighborSearch.Found found = ivf.searchInOrder(REF, x, 7, Progress.NONE);
        int[] order = found.rowOrder().clone();
        Arrays.sort(order);
        assertArrayEquals(IntStream.range(0, x.rows()).toArray(), order);
        Neighbors plain = ivf.search(REF, x, 7, Progress.NONE);
        assertArrayEquals(plain.index(), found.neighbors().index());
        assertArrayEquals(plain.distance(), found.neighbors().distance());
    }

    @Test
    void defaultsFindNearlyAllNeighboursOnHighDimensionalClusters() {
        // Isotropic clusters in 32 dimensions: the case where NN-Descent needs a wide pool.
        FloatMatrix x = TestData.blobs(10, 400, 32, 1f, 5);
        Neighbors exact = KnnSearch.neighbors(REF, x, 10, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE);
        Neighbors approx = KnnSearch.neighbors(REF, x, 10, Metric.EUCLIDEAN, false,
                InvertedFile.withDefaults(), Progress.NONE);
        double recall = KnnAssertions.recall(exact, approx);
        assertTrue(recall >= 0.95, "recall " + recall);
        // Fewer probes search fewer rows: recall may only drop.
        InvertedFile.Options d = InvertedFile.Options.defaults();
        Neighbors one = KnnSearch.neighbors(REF, x, 10, Metric.EUCLIDEAN, false,
                new InvertedFile(new InvertedFile.Options(d.seed(), d.lists(), 1, 0, d.iterations(), d.samplePerList())), Progress.NONE);
        assertTrue(KnnAssertions.recall(exact, one) <= recall);
    }

    /**
     * Each row's list is its exact k nearest among the members of the lists it probed and the rows that probed
     * its own list (the two-way use of each list's products), checked against a plain search over exactly those
     * candidates: same rows, same distances, same order.
     */
    @Test
    void eachRowGetsItsNearestAmongItsProbedListsAndTheRowsThatProbedItsList() {
        assertNearestAmongCandidates(TestData.blobs(6, 100, 12, 1.5f, 21), new InvertedFile.Options(4, 12, 3, 0, 5, 64));
    }

    /**
     * The same with lists large enough that searchers from one later home list are split off and meet only the
     * members that do not probe their home ({@link InvertedFile#SPLIT_GROUP}): the candidates are unchanged.
     */
    @Test
    void pairsSkippedInOneListAreFoundInTheOther() {
        FloatMatrix x = TestData.blobs(6, 400, 12, 1.5f, 22);
        InvertedFile.Options o = new InvertedFile.Options(5, 12, 3, 0, 5, 64);
        Neighbors near = REF.nearest(InvertedFile.kMeans(REF, x, 12, o), x, 3, false, Progress.NONE);
        int[][] fromHome = new int[12][12];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 1; j < near.k(); j++) {
                fromHome[near.neighbor(i, j)][near.neighbor(i, 0)]++;
            }
        }
        boolean split = false;
        for (int list = 0; list < 12; list++) {
            for (int home = list + 1; home < 12; home++) {
                split |= fromHome[list][home] >= InvertedFile.SPLIT_GROUP && fromHome[home][list] > 0;
            }
        }
        assertTrue(split, "no group of searchers is split off: the case is not covered");
        assertNearestAmongCandidates(x, o);
    }

    /**
     * With a probe ratio, rows search different numbers of lists, and the candidates follow the lists each row
     * searched ({@link InvertedFile.Options#probesOf}), on both sides of each list's products.
     */
    @Test
    void rowsSearchOnlyTheListsWithinTheProbeRatio() {
        FloatMatrix x = TestData.blobs(6, 400, 12, 1.5f, 22);
        InvertedFile.Options o = new InvertedFile.Options(5, 12, 6, 1.3f, 5, 64);
        Neighbors near = REF.nearest(InvertedFile.kMeans(REF, x, 12, o), x, o.probes(), false, Progress.NONE);
        int[] count = new int[o.probes() + 1];
        for (int i = 0; i < x.rows(); i++) {
            count[o.probesOf(near, i)]++;
        }
        assertTrue(count[InvertedFile.Options.MIN_PROBES] > 0 && count[o.probes()] < x.rows()
                        && IntStream.rangeClosed(InvertedFile.Options.MIN_PROBES + 1, o.probes()).map(p -> count[p]).sum() > 0,
                "rows by lists searched " + Arrays.toString(count) + ": the ratio must leave some rows at the minimum "
                        + "and take others past it");
        assertNearestAmongCandidates(x, o);
    }

    /** The rule on hand-made distances: the first two always, then while within the ratio, at most probes. */
    @Test
    void probesOfCountsTheListsWithinTheRatio() {
        Neighbors near = new Neighbors(4, 5, new int[20], new float[] {
            1f, 1.2f, 1.5f, 1.6f, 2f,
            1f, 3f, 3.1f, 3.2f, 4f,
            0f, 0f, 0f, 0.5f, 1f,
            2f, 2.2f, 2.4f, 2.6f, 2.8f});
        InvertedFile.Options o = new InvertedFile.Options(1, 0, 5, 1.5f, 5, 64);
        assertArrayEquals(new int[] {3, 2, 3, 5}, IntStream.range(0, 4).map(i -> o.probesOf(near, i)).toArray());
        assertArrayEquals(new int[] {3, 2, 3, 4}, IntStream.range(0, 4).map(i -> o.withProbes(4).probesOf(near, i))
                .toArray());
        assertArrayEquals(new int[] {5, 5, 5, 5}, IntStream.range(0, 4).map(i -> o.withProbeRatio(0).probesOf(near, i))
                .toArray());
        assertEquals(1, o.withProbes(1).probesOf(near, 1));
        // Fewer centroids than probes: all of them.
        assertEquals(5, o.withProbes(8).withProbeRatio(0).probesOf(near, 0));
    }

    private static void assertNearestAmongCandidates(FloatMatrix x, InvertedFile.Options o) {
        int k = 7;
        Neighbors found = new InvertedFile(o).search(REF, x, k, Progress.NONE);
        Neighbors near = REF.nearest(InvertedFile.kMeans(REF, x, o.lists(), o), x, o.probes(), false, Progress.NONE);
        int n = x.rows();
        int[] probed = IntStream.range(0, n).map(i -> o.probesOf(near, i)).toArray();
        long heard = 0;
        for (int i = 0; i < n; i++) {
            List<Integer> candidates = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                boolean iProbesJs = probes(near, probed[i], i, near.neighbor(j, 0));
                if (j != i && (iProbesJs || probes(near, probed[j], j, near.neighbor(i, 0)))) {
                    candidates.add(j);
                    heard += iProbesJs ? 0 : 1;
                }
            }
            int row = i;
            candidates.sort((a, b) -> Neighbors.precedes(distance(x, row, a), a, distance(x, row, b), b) ? -1 : 1);
            for (int j = 0; j < k; j++) {
                assertEquals(candidates.get(j), found.neighbor(i, j), "row " + i + " place " + j);
                assertEquals(distance(x, i, candidates.get(j)), found.distance(i, j), "row " + i + " place " + j);
            }
        }
        assertTrue(heard > 0, "no row heard from a row whose lists it did not probe: the case is not covered");
    }

    private static boolean probes(Neighbors near, int probed, int row, int list) {
        for (int j = 0; j < probed; j++) {
            if (near.neighbor(row, j) == list) {
                return true;
            }
        }
        return false;
    }

    private static float distance(FloatMatrix x, int i, int j) {
        return (float) x.squaredDistance(i, x, j);
    }

    @Test
    void sameSeedSameGraphOnAnyThreadCount() {
        KnnAssertions.assertSameOnAnyThreadCount(new InvertedFile(InvertedFile.Options.defaults().withSeed(7)));
    }

    @Test
    void rowsOfTinyListsStillGetKDistinctOtherRows() {
        // 40 lists for 60 rows and one probe: most lists hold fewer than k + 1 rows.
        FloatMatrix x = TestData.gaussian(60, 3, 2);
        Neighbors nb = new InvertedFile(new InvertedFile.Options(1, 40, 1, 0, 3, 4)).search(REF, x, 10, Progress.NONE);
        for (int i = 0; i < x.rows(); i++) {
            Set<Integer> seen = new HashSet<>();
            for (int j = 0; j < nb.k(); j++) {
                int c = nb.neighbor(i, j);
                assertTrue(c >= 0 && c < x.rows() && c != i, "row " + i + " entry " + j + " is " + c);
                assertTrue(seen.add(c), "row " + i + " lists " + c + " twice");
                if (j > 0) {
                    assertFalse(nb.distance(i, j) < nb.distance(i, j - 1), "row " + i + " is not sorted");
                }
            }
        }
    }

    @Test
    void kMeansConvergesToTheMeansOfItsLists() {
        // At a fixed point of Lloyd's algorithm every centroid is the mean of the rows nearest to it.
        FloatMatrix x = TestData.blobs(6, 150, 5, 0.3f, 4);
        int lists = 6;
        int d = x.cols();
        FloatMatrix c = InvertedFile.kMeans(REF, x, lists, new InvertedFile.Options(5, lists, 1, 0, 50, 1000));
        Neighbors nearest = REF.nearest(c, x, 1, false, Progress.NONE);
        double[] sum = new double[lists * d];
        int[] size = new int[lists];
        for (int i = 0; i < x.rows(); i++) {
            int l = nearest.neighbor(i, 0);
            size[l]++;
            for (int t = 0; t < d; t++) {
                sum[l * d + t] += x.data()[i * d + t];
            }
        }
        for (int l = 0; l < lists; l++) {
            assertTrue(size[l] > 0, "list " + l + " is empty");
            for (int t = 0; t < d; t++) {
                assertEquals(sum[l * d + t] / size[l], c.data()[l * d + t], 1e-4, "list " + l + " dimension " + t);
            }
        }
    }

    @Test
    void optionsOutOfRangeAreRefusedByName() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> new InvertedFile.Options(1, 0, 0, 0, 10, 64));
        assertEquals("InvertedFile.Options.probes", e.parameter());
        assertEquals("InvertedFile.Options.probes must be at least 1, got 0", e.getMessage());
        assertThrows(InvalidOptionException.class, () -> new InvertedFile.Options(1, -1, 8, 0, 10, 64));
        for (float ratio : new float[] {0.5f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            e = assertThrows(InvalidOptionException.class, () -> new InvertedFile.Options(1, 0, 8, ratio, 10, 64));
            assertEquals("InvertedFile.Options.probeRatio", e.parameter());
        }
    }
}
