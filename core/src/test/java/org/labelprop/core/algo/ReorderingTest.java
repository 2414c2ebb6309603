package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Reordering;
import org.labelprop.core.testing.TestData;

/** Iterating in breadth-first order gives the caller's rows the same results as the original order. */
class ReorderingTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());

    @Test
    void permutationIsABijectionAndPermuteRestores() {
        CsrGraph g = TestData.randomGraph(500, 4, 3);
        int[] order = Reordering.breadthFirst(g);
        int[] position = Reordering.inverse(order);
        for (int i = 0; i < order.length; i++) {
            assertEquals(i, position[order[i]]);
        }
        CsrGraph p = Reordering.permute(g, order, ForkJoinPool.commonPool());
        for (int i = 0; i < 500; i++) {
            for (int e = g.rowPtr()[i]; e < g.rowPtr()[i + 1]; e++) {
                assertEquals(g.weight()[e], p.weight(position[i], position[g.col()[e]]));
            }
        }
        float[] m = new float[1000];
        for (int i = 0; i < m.length; i++) {
            m[i] = i;
        }
        ForkJoinPool pool = ForkJoinPool.commonPool();
        assertArrayEquals(m, Reordering.restoreRows(Reordering.permuteRows(m, 2, order, pool), 2, order,
                new float[m.length], pool));
    }

    @Test
    void reorderingPaysForAShuffledChainButNotForARandomGraph() {
        // A chain 0-1-2-...: neighbours adjacent. Shuffled, its edges span the whole index range; the
        // breadth-first order puts them back next to each other.
        int n = 100_000;
        int[] shuffle = java.util.stream.IntStream.range(0, n).toArray();
        java.util.Random r = new java.util.Random(4);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = shuffle[i];
            shuffle[i] = shuffle[j];
            shuffle[j] = t;
        }
        int[] src = new int[n - 1];
        int[] dst = new int[n - 1];
        for (int i = 0; i + 1 < n; i++) {
            src[i] = shuffle[i];
            dst[i] = shuffle[i + 1];
        }
        CsrGraph chain = org.labelprop.core.graph.GraphBuilder.fromEdges(n, src, dst, null,
                org.labelprop.core.graph.Symmetrization.MAX, false);
        assertTrue(Reordering.pays(chain, Reordering.breadthFirst(chain)));
        // The same chain in its natural order is already local: nothing to gain.
        for (int i = 0; i + 1 < n; i++) {
            src[i] = i;
            dst[i] = i + 1;
        }
        CsrGraph ordered = org.labelprop.core.graph.GraphBuilder.fromEdges(n, src, dst, null,
                org.labelprop.core.graph.Symmetrization.MAX, false);
        assertFalse(Reordering.pays(ordered, Reordering.breadthFirst(ordered)));
        CsrGraph random = TestData.randomGraph(n, 10, 5);
        assertFalse(Reordering.pays(random, Reordering.breadthFirst(random)));
        // The search that stops early must decide the same and, where it pays, give the same order.
        assertArrayEquals(Reordering.breadthFirst(chain), Reordering.payingBreadthFirst(chain));
        assertNull(Reordering.payingBreadthFirst(ordered));
        assertNull(Reordering.payingBreadthFirst(random));
    }

    /** Past the prefix's size, where payingBreadthFirst judges an unfinished search. */
    @Test
    void prefixJudgementAgreesWithTheFullSearchOnLargeGraphs() {
        int n = 4 * 65_536;
        CsrGraph random = TestData.randomGraph(n, 10, 6);
        assertFalse(Reordering.pays(random, Reordering.breadthFirst(random)));
        assertNull(Reordering.payingBreadthFirst(random));
        // A shuffled band: each row joined to rows within 20 of it in a hidden order; breadth-first recovers it.
        Random r = new Random(7);
        int[] hidden = new int[n];
        for (int i = 0; i < n; i++) {
            hidden[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = hidden[i];
            hidden[i] = hidden[j];
            hidden[j] = t;
        }
        int[] src = new int[n * 4];
        int[] dst = new int[n * 4];
        for (int e = 0; e < src.length; e++) {
            int i = e / 4;
            src[e] = hidden[i];
            dst[e] = hidden[Math.min(n - 1, i + 1 + r.nextInt(20))];
        }
        CsrGraph band = org.labelprop.core.graph.GraphBuilder.fromEdges(n, src, dst, null,
                org.labelprop.core.graph.Symmetrization.MAX, false);
        int[] full = Reordering.breadthFirst(band);
        assertTrue(Reordering.pays(band, full));
        assertArrayEquals(full, Reordering.payingBreadthFirst(band));
    }

    @Test
    void hubRowsKeepColumnsSorted() {
        // A star: row 0 links to 400 others, so its row takes the long-row sort.
        int[] src = new int[400];
        int[] dst = new int[400];
        for (int e = 0; e < 400; e++) {
            src[e] = 0;
            dst[e] = 400 - e;
        }
        CsrGraph star = org.labelprop.core.graph.GraphBuilder.fromEdges(401, src, dst, null,
                org.labelprop.core.graph.Symmetrization.MAX, false);
        int[] order = new int[401];
        for (int i = 0; i < 401; i++) {
            order[i] = 400 - i;
        }
        // The CsrGraph constructor rejects rows whose columns do not ascend.
        CsrGraph p = Reordering.permute(star, order, ForkJoinPool.commonPool());
        CsrGraph checked = CsrGraph.of(p.rows(), p.rowPtr(), p.col(), p.weight());
        assertEquals(800, checked.edges());
    }

    @Test
    void reorderedPropagationEqualsTheOriginalOrder() {
        int n = 3000;
        CsrGraph w = TestData.randomGraph(n, 8, 5);
        Labels labels = Labels.of(TestData.fewLabels(n, 4, 5), "labels");
        CsrGraph op = GraphNormalization.randomWalk(w, ForkJoinPool.commonPool());
        StepRule rule = new StepRule(1f, 0f, labels.labeledMask(), true);
        Iteration.Stop stop = new Iteration.Stop(1e-6, 200, Convergence.RELATIVE_CHANGE);
        PropagationResult plain = Iteration.run(REF, op, w, labels, rule, stop, MomentumSchedule.none(), true,
                Progress.NONE, false);
        PropagationResult reordered = Iteration.run(REF, op, w, labels, rule, stop, MomentumSchedule.none(), true,
                Progress.NONE, true);
        assertArrayEquals(plain.prediction().label(), reordered.prediction().label());
        assertArrayEquals(plain.prediction().distribution(), reordered.prediction().distribution(), 1e-5f);
    }
}
