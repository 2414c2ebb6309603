package org.labelprop.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TopK keeps exactly what sorting all candidates by (distance, index) and taking the first k keeps. */
class TopKTest {
    @ParameterizedTest(name = "k={0}")
    @ValueSource(ints = {0, 1, 2, 10, 11, 31, 100})
    void keepsTheKSmallestByDistanceThenIndex(int k) {
        Random r = new Random(k);
        for (int trial = 0; trial < 50; trial++) {
            int n = r.nextInt(300);
            float[] d = new float[n];
            int[] order = IntStream.range(0, n).toArray();
            for (int i = 0; i < n; i++) {
                // Few distinct distances: many ties, decided by index; some below zero, as a tile's rounding
                // gives near-duplicate rows.
                d[i] = (r.nextInt(20) - 3) / 4f;
            }
            // Candidates offered in a shuffled order, as tiles deliver them.
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            TopK top = new TopK(k);
            for (int i : order) {
                if (d[i] <= top.bound()) {
                    top.offer(d[i], i);
                }
            }
            int m = Math.min(k, n);
            Integer[] sorted = IntStream.range(0, n).boxed().sorted(Comparator.<Integer>comparingDouble(i -> d[i])
                    .thenComparingInt(i -> i)).toArray(Integer[]::new);
            int[] wantIndex = Arrays.stream(sorted).limit(m).mapToInt(Integer::intValue).toArray();
            float[] wantDist = new float[m];
            for (int j = 0; j < m; j++) {
                wantDist[j] = d[wantIndex[j]];
            }
            int[] gotIndex = new int[k];
            float[] gotDist = new float[k];
            top.drainSorted(gotIndex, gotDist, 0);
            // Places past the candidates hold -1 and +infinity.
            int[] paddedIndex = Arrays.copyOf(wantIndex, k);
            float[] paddedDist = Arrays.copyOf(wantDist, k);
            Arrays.fill(paddedIndex, m, k, -1);
            Arrays.fill(paddedDist, m, k, Float.POSITIVE_INFINITY);
            assertArrayEquals(paddedIndex, gotIndex, "trial " + trial);
            assertArrayEquals(paddedDist, gotDist, "trial " + trial);
        }
    }

    /**
     * A within list keeps every candidate offered under its ceiling, however many, and drains them by index; lists of
     * several rows drain into one graph in row order.
     */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 15, 16, 17, 1000})
    void withinListsKeepEveryCandidateUnderTheCeiling(int n) {
        Random r = new Random(n);
        float ceiling = 0.5f;
        // A graph is square: as many lists as candidates (at least two), the later ones offered nothing.
        TopK[] lists = new TopK[Math.max(n, 2)];
        lists[0] = TopK.within(ceiling);
        for (int i = 1; i < lists.length; i++) {
            lists[i] = TopK.within(Float.NEGATIVE_INFINITY);
        }
        int[] order = IntStream.range(0, n).map(i -> n - 1 - i).toArray();
        float[] d = new float[n];
        for (int i : order) {
            d[i] = r.nextFloat();
            for (TopK list : new TopK[] {lists[0], lists[1]}) {
                if (d[i] <= list.bound()) {
                    list.offer(d[i], i);
                }
            }
        }
        assertEquals(ceiling, lists[0].bound());
        org.labelprop.core.graph.CsrGraph g = TopK.drainByIndex(lists);
        int[] want = IntStream.range(0, n).filter(i -> d[i] <= ceiling).toArray();
        assertEquals(want.length, g.rowPtr()[1]);
        assertEquals(want.length, g.edges(), "the other lists keep nothing");
        assertArrayEquals(want, Arrays.copyOf(g.col(), want.length));
        for (int e = 0; e < want.length; e++) {
            assertEquals(d[want[e]], g.weight()[e]);
        }
    }
}
