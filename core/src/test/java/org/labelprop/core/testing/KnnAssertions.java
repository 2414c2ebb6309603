package org.labelprop.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.search.NeighborSearch;
import org.labelprop.core.graph.Neighbors;

/** Compares a neighbour list with {@link NaiveKnn}. */
public final class KnnAssertions {
    /** Relative tolerance for distances, and for what counts as a tie between candidates. */
    public static final double REL_TOL = 1e-4;

    private KnnAssertions() {
    }

    /**
     * Row by row: the same neighbour at every rank, except where the two candidates' exact distances tie
     * within {@link #REL_TOL} (then either order is right); every reported distance within REL_TOL of the
     * exact one. Returns how many positions differed through such ties.
     */
    public static int assertMatchesNaive(FloatMatrix x, Neighbors actual, boolean excludeSelf) {
        int k = actual.k();
        int ties = 0;
        double[] exact = new double[x.rows()];
        for (int i = 0; i < x.rows(); i++) {
            int[] order = NaiveKnn.order(x, i, excludeSelf, exact);
            assertTrue(order.length >= k, "row " + i + " has only " + order.length + " candidates for k=" + k);
            for (int p = 0; p < k; p++) {
                int got = actual.neighbor(i, p);
                double want = exact[p];
                double gotExact = Math.sqrt(NaiveKnn.squaredDistance(x, i, got));
                double tol = REL_TOL * Math.max(want, 1e-3);
                if (got != order[p]) {
                    ties++;
                    assertEquals(want, gotExact, tol, "row " + i + " rank " + p + ": neighbour " + got
                            + " instead of " + order[p] + " and not a tie");
                }
                assertEquals(want, actual.distance(i, p), tol, "row " + i + " rank " + p + " distance");
            }
        }
        return ties;
    }

    /** Share of the exact lists' members that the approximate lists hold, over all rows. */
    public static double recall(Neighbors exact, Neighbors approx) {
        long hit = 0;
        for (int i = 0; i < exact.rows(); i++) {
            java.util.Set<Integer> truth = new java.util.HashSet<>();
            for (int j = 0; j < exact.k(); j++) {
                truth.add(exact.neighbor(i, j));
            }
            for (int j = 0; j < approx.k(); j++) {
                if (truth.contains(approx.neighbor(i, j))) {
                    hit++;
                }
            }
        }
        return (double) hit / ((long) exact.rows() * exact.k());
    }

    /**
     * A search strategy is deterministic whatever the thread count: the same lists and distances on the
     * shared pool and on a pool of one thread (3,000 gaussian rows in 6 dimensions, k = 8).
     */
    public static void assertSameOnAnyThreadCount(NeighborSearch search) {
        FloatMatrix x = TestData.gaussian(3000, 6, 9);
        Neighbors a = search.search(new ReferenceBackend(ForkJoinPool.commonPool()), x, 8, Progress.NONE);
        Neighbors b = search.search(new ReferenceBackend(new ForkJoinPool(1)), x, 8, Progress.NONE);
        assertArrayEquals(a.index(), b.index());
        assertArrayEquals(a.distance(), b.distance());
    }
}
