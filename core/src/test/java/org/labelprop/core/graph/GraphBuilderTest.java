package org.labelprop.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.labelprop.core.DataException;

class GraphBuilderTest {
    /** Directed: 0->1 (w 2), 1->2 (w 4), 2->1 (w 6), 0->2 (w 8). */
    private static CsrGraph directed(Symmetrization s) {
        return GraphBuilder.fromEdges(3, new int[] {0, 1, 2, 0}, new int[] {1, 2, 1, 2}, new float[] {2, 4, 6, 8}, s,
                false);
    }

    private static float[][] dense(CsrGraph g) {
        float[][] m = new float[g.rows()][g.rows()];
        for (int i = 0; i < g.rows(); i++) {
            for (int e = g.rowPtr()[i]; e < g.rowPtr()[i + 1]; e++) {
                m[i][g.col()[e]] = g.weight()[e];
            }
        }
        return m;
    }

    @Test
    void symmetrizationsFollowTheirDefinitions() {
        assertArrayEquals(new float[][] {{0, 2, 8}, {0, 0, 4}, {0, 6, 0}}, dense(directed(Symmetrization.NONE)));
        assertArrayEquals(new float[][] {{0, 1, 4}, {1, 0, 5}, {4, 5, 0}}, dense(directed(Symmetrization.AVERAGE)));
        assertArrayEquals(new float[][] {{0, 2, 8}, {2, 0, 6}, {8, 6, 0}}, dense(directed(Symmetrization.MAX)));
        assertArrayEquals(new float[][] {{0, 0, 0}, {0, 0, 5}, {0, 5, 0}}, dense(directed(Symmetrization.MUTUAL)));
    }

    /**
     * Every symmetrization's graph has each edge's reverse, so it says so and the path-to-label search runs on
     * it directly; that search agrees with the one through W^T on a copy nobody vouched for.
     */
    @Test
    void symmetrizedGraphsKnowTheirEdgesHaveReverses() {
        assertFalse(directed(Symmetrization.NONE).symmetricStructure());
        java.util.Random r = new java.util.Random(3);
        int n = 2000;
        int[] src = new int[n];
        int[] dst = new int[n];
        for (int e = 0; e < n; e++) {
            src[e] = r.nextInt(n);
            dst[e] = r.nextInt(n);
        }
        boolean[] labeled = new boolean[n];
        for (int i = 0; i < n; i += 97) {
            labeled[i] = true;
        }
        for (Symmetrization s : new Symmetrization[] {Symmetrization.AVERAGE, Symmetrization.MAX,
                Symmetrization.MUTUAL}) {
            CsrGraph g = GraphBuilder.fromEdges(n, src, dst, null, s, false);
            assertTrue(g.symmetricStructure(), s.name());
            for (int i = 0; i < n; i++) {
                for (int e = g.rowPtr()[i]; e < g.rowPtr()[i + 1]; e++) {
                    assertTrue(g.weight(g.col()[e], i) > 0, s + ": edge " + i + " -> " + g.col()[e]);
                }
            }
            assertTrue(g.withWeights(g.weight().clone()).symmetricStructure());
            assertTrue(Reordering.permute(g, Reordering.breadthFirst(g), java.util.concurrent.ForkJoinPool.commonPool())
                    .symmetricStructure());
            CsrGraph unknown = CsrGraph.of(n, g.rowPtr(), g.col(), g.weight());
            assertFalse(unknown.symmetricStructure());
            assertArrayEquals(Components.pathToLabel(unknown, labeled), Components.pathToLabel(g, labeled), s.name());
        }
    }

    @Test
    void repeatedEdgesSumAndSelfLoopsDropUnlessKept() {
        CsrGraph g = GraphBuilder.fromEdges(2, new int[] {0, 0, 1}, new int[] {1, 1, 1}, null, Symmetrization.NONE,
                false);
        assertArrayEquals(new float[][] {{0, 2}, {0, 0}}, dense(g));
        CsrGraph kept = GraphBuilder.fromEdges(2, new int[] {0, 0, 1}, new int[] {1, 1, 1}, null,
                Symmetrization.NONE, true);
        assertArrayEquals(new float[][] {{0, 2}, {0, 1}}, dense(kept));
    }

    @Test
    void edgeOutsideTheNodeRangeIsAClearError() {
        DataException e = assertThrows(DataException.class, () -> GraphBuilder.fromEdges(2, new int[] {0},
                new int[] {5}, null, Symmetrization.NONE, false));
        assertEquals("edge 1 (0, 5) names a node outside [0, 2)", e.getMessage());
    }

    @Test
    void weightsFromDistances() {
        // Row 0's neighbours at distances 1 and 2 (the k-th), row 1's at 1 and 3.
        Neighbors nb = new Neighbors(3, 2, new int[] {1, 2, 0, 2, 0, 1}, new float[] {1, 2, 1, 3, 2, 3});
        CsrGraph st = GraphBuilder.fromNeighbors(nb, Weighting.SELF_TUNING, 1f, Symmetrization.NONE);
        assertEquals(Math.exp(-4.0 * 1 / 4), st.weight(0, 1), 1e-7);
        assertEquals(Math.exp(-4.0), st.weight(0, 2), 1e-7);
        assertEquals(Math.exp(-4.0 / 9), st.weight(1, 0), 1e-7);
        CsrGraph gauss = GraphBuilder.fromNeighbors(nb, Weighting.GAUSSIAN, 2f, Symmetrization.NONE);
        assertEquals(Math.exp(-9.0 / 8), gauss.weight(1, 2), 1e-7);
        CsrGraph bin = GraphBuilder.fromNeighbors(nb, Weighting.BINARY, 1f, Symmetrization.AVERAGE);
        assertEquals(1f, bin.weight(0, 1));
        assertEquals(1f, bin.weight(2, 0));
    }

    @Test
    void transposeAndComponents() {
        CsrGraph g = GraphBuilder.fromEdges(5, new int[] {0, 3}, new int[] {1, 4}, null, Symmetrization.NONE, false);
        assertArrayEquals(new float[][] {{0, 0, 0, 0, 0}, {1, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0},
            {0, 0, 0, 1, 0}}, dense(g.transpose()));
        Components c = Components.of(g);
        assertEquals(3, c.count());
        assertArrayEquals(new int[] {0, 0, 1, 2, 2}, c.ids());
        assertArrayEquals(new boolean[] {false, false, false, true, true},
                c.reachesLabel(new boolean[] {false, false, false, false, true}));
    }

    @Test
    void repeatedEdgesSummingPastTheLargestFloatAreRefused() {
        int[] src = {0, 0, 1};
        int[] dst = {1, 1, 2};
        float[] w = {3e38f, 3e38f, 1f};
        DataException e = assertThrows(DataException.class,
                () -> GraphBuilder.fromEdges(3, src, dst, w, Symmetrization.MAX, false));
        assertEquals("edge (0, 1) is repeated with weights that sum past the largest float, " + Float.MAX_VALUE
                + "; scale the weights down", e.getMessage());
        // On a pool, rows of 40,000 nodes in several tasks, the first such edge in (source, target) order.
        int[] manySrc = {39_000, 39_000, 20_000, 20_000, 5};
        int[] manyDst = {7, 7, 3, 3, 6};
        float[] manyW = {3e38f, 3e38f, 3e38f, 3e38f, 1f};
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            e = assertThrows(DataException.class, () -> GraphBuilder.fromEdges(40_000, manySrc, manyDst, manyW,
                    Symmetrization.MAX, false, pool));
            assertTrue(e.getMessage().startsWith("edge (20000, 3) is repeated"), e.getMessage());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void averagingTwoLargeWeightsDoesNotOverflow() {
        CsrGraph g = GraphBuilder.fromEdges(2, new int[] {0, 1}, new int[] {1, 0}, new float[] {3e38f, 3e38f},
                Symmetrization.AVERAGE, false);
        assertArrayEquals(new float[] {3e38f, 3e38f}, g.weight());
    }

    /**
     * On a pool the graph is the one-thread graph bit for bit: neighbour lists of 40,000 rows (enough for several
     * ranges in the transpose), candidates clustered on a few hub rows so that columns differ widely in length, each
     * symmetrization; and the transpose equals a transpose by definition.
     */
    @Test
    void onAPoolTheSameGraphAsOnOneThread() {
        int n = 40_000;
        int k = 10;
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        int[] index = new int[n * k];
        float[] dist = new float[n * k];
        for (int i = 0; i < n; i++) {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            float d = r.nextFloat();
            for (int j = 0; j < k; j++) {
                int c;
                do {
                    c = r.nextInt(4) == 0 ? r.nextInt(50) : Math.floorMod(i + r.nextInt(-3000, 3000), n);
                } while (c == i || !seen.add(c));
                index[i * k + j] = c;
                dist[i * k + j] = d += r.nextFloat();
            }
        }
        Neighbors nb = new Neighbors(n, k, index, dist);
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(4);
        try {
            for (Symmetrization s : Symmetrization.values()) {
                CsrGraph one = GraphBuilder.fromNeighbors(nb, Weighting.SELF_TUNING, 1f, s);
                CsrGraph many = GraphBuilder.fromNeighbors(nb, Weighting.SELF_TUNING, 1f, s, pool);
                assertArrayEquals(one.rowPtr(), many.rowPtr(), s.toString());
                assertArrayEquals(one.col(), many.col(), s.toString());
                assertArrayEquals(one.weight(), many.weight(), s.toString());
            }
            CsrGraph w = GraphBuilder.fromNeighbors(nb, Weighting.SELF_TUNING, 1f, Symmetrization.NONE);
            CsrGraph t = w.transpose(pool);
            int[] seen = new int[n];
            for (int i = 0; i < n; i++) {
                for (int e = w.rowPtr()[i]; e < w.rowPtr()[i + 1]; e++) {
                    int j = w.col()[e];
                    int slot = t.rowPtr()[j] + seen[j]++;
                    // Row j of W^T lists the rows pointing to j in row order, with their weights.
                    assertEquals(i, t.col()[slot], "transposed row " + j);
                    assertEquals(w.weight()[e], t.weight()[slot], "transposed row " + j);
                }
            }
            for (int j = 0; j < n; j++) {
                assertEquals(t.rowPtr()[j + 1] - t.rowPtr()[j], seen[j], "length of transposed row " + j);
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Edges in any order, repeated ones included, give rows sorted by target with each repeated edge's weights summed
     * in the order given (floats whose sum depends on that order), on one thread and on a pool, against a stable
     * sort of the pairs by definition; one hub row is longer than the insertion sort's 32.
     */
    @Test
    void edgeListsAreSortedBySourceThenTargetAndRepeatsSummedInTheirOrder() {
        int n = 40_000;
        int m = 200_000;
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        int[] src = new int[m];
        int[] dst = new int[m];
        float[] w = new float[m];
        for (int e = 0; e < m; e++) {
            src[e] = r.nextInt(8) == 0 ? 7 : r.nextInt(n);
            dst[e] = r.nextInt(3) == 0 ? r.nextInt(40) : r.nextInt(n);
            w[e] = r.nextBoolean() ? 1e8f : 0.1f + r.nextInt(5);
        }
        Integer[] byPair = new Integer[m];
        java.util.Arrays.setAll(byPair, e -> e);
        java.util.Arrays.sort(byPair, java.util.Comparator.<Integer>comparingInt(e -> src[e]).thenComparingInt(e -> dst[e]));
        java.util.List<Integer> wantCol = new java.util.ArrayList<>();
        java.util.List<Float> wantWeight = new java.util.ArrayList<>();
        int[] wantPtr = new int[n + 1];
        int last = -1;
        for (int e : byPair) {
            if (src[e] == dst[e]) {
                continue;
            }
            if (last >= 0 && src[last] == src[e] && dst[last] == dst[e]) {
                wantWeight.set(wantWeight.size() - 1, wantWeight.get(wantWeight.size() - 1) + w[e]);
            } else {
                wantCol.add(dst[e]);
                wantWeight.add(w[e]);
                wantPtr[src[e] + 1]++;
            }
            last = e;
        }
        for (int i = 0; i < n; i++) {
            wantPtr[i + 1] += wantPtr[i];
        }
        assertTrue(wantPtr[8] - wantPtr[7] > 32, "the hub row is short: the merge sort is not covered");
        assertTrue(wantCol.size() < m - 1000, "few repeated edges: their sums are not covered");
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            for (java.util.concurrent.ForkJoinPool p : new java.util.concurrent.ForkJoinPool[] {null, pool}) {
                CsrGraph g = GraphBuilder.fromEdges(n, src, dst, w, Symmetrization.NONE, false, p);
                assertArrayEquals(wantPtr, g.rowPtr());
                assertArrayEquals(wantCol.stream().mapToInt(Integer::intValue).toArray(), g.col());
                float[] weights = new float[wantWeight.size()];
                for (int j = 0; j < weights.length; j++) {
                    weights[j] = wantWeight.get(j);
                }
                assertArrayEquals(weights, g.weight());
            }
        } finally {
            pool.shutdown();
        }
    }
}
