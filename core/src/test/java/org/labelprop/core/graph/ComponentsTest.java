package org.labelprop.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The path-to-label search against a naive fixpoint, on one thread and on a pool. */
class ComponentsTest {
    /**
     * A directed random graph of 20,000 rows in 5 row ranges with no edge between ranges (components), one
     * range without labels, and either a few labels (long searches) or many (frontiers of many blocks).
     */
    private static CsrGraph graph(int n, long seed, boolean symmetric) {
        Random r = new Random(seed);
        int m = n * 3;
        int[] src = new int[m];
        int[] dst = new int[m];
        float[] w = new float[m];
        int part = n / 5;
        for (int e = 0; e < m; e++) {
            src[e] = r.nextInt(n);
            int base = src[e] / part * part;
            dst[e] = Math.min(n - 1, base + r.nextInt(part));
            w[e] = 1f;
        }
        return GraphBuilder.fromEdges(n, src, dst, w, symmetric ? Symmetrization.MAX : Symmetrization.NONE, false);
    }

    /** Reached rows by repeated sweeps: a row is reached when it is labelled or an edge leads to a reached row. */
    private static boolean[] naive(CsrGraph g, boolean[] hasLabel) {
        boolean[] reached = hasLabel.clone();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < g.rows(); i++) {
                for (int e = g.rowPtr()[i]; e < g.rowPtr()[i + 1] && !reached[i]; e++) {
                    if (reached[g.col()[e]]) {
                        reached[i] = true;
                        changed = true;
                    }
                }
            }
        }
        return reached;
    }

    @ParameterizedTest(name = "labels every {0} rows")
    @ValueSource(ints = {3, 997})
    void pathToLabelMatchesNaiveOnOneThreadAndOnAPool(int every) {
        ForkJoinPool pool = new ForkJoinPool(4);
        try {
            for (boolean symmetric : new boolean[] {true, false}) {
                CsrGraph g = graph(20_000, every, symmetric);
                boolean[] hasLabel = new boolean[g.rows()];
                for (int i = 0; i < 16_000; i += every) {
                    hasLabel[i] = true; // the last range stays unlabelled
                }
                boolean[] want = naive(g, hasLabel);
                assertArrayEquals(want, Components.pathToLabel(g, hasLabel), "one thread, symmetric=" + symmetric);
                assertArrayEquals(want, Components.pathToLabel(g, hasLabel, pool), "pool, symmetric=" + symmetric);
                int reached = 0;
                for (boolean b : want) {
                    reached += b ? 1 : 0;
                }
                assertTrue(reached > 0 && reached < g.rows(), "the test must leave rows unreached: " + reached);
            }
        } finally {
            pool.shutdown();
        }
    }
}
