package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.labelprop.core.Label;
import org.labelprop.core.Parallel;
import org.labelprop.core.Prediction;
import org.labelprop.core.graph.Components;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.GraphBuilder;
import org.labelprop.core.graph.Reordering;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.testing.TestData;

/**
 * The passes around the propagation steps that run on the workers give, bit for bit, what the single loops
 * they replaced gave (kept here as the reference), on graphs of several {@link Parallel#ROWS} blocks.
 */
class ParallelPassesTest {
    private static final int N = 3 * Parallel.ROWS + 123;
    private static final ForkJoinPool POOL = new ForkJoinPool(4);

    @AfterAll
    static void stop() {
        POOL.shutdown();
    }

    @Test
    void normalizationsMatchTheSingleLoops() {
        CsrGraph w = TestData.randomGraph(N, 6, 1);
        assertArrayEquals(symmetricNormalizedLoop(w), GraphNormalization.symmetricNormalized(w, POOL).weight());
        assertArrayEquals(randomWalkLoop(w), GraphNormalization.randomWalk(w, POOL).weight());
    }

    @Test
    void permutationsMatchTheSingleLoops() {
        CsrGraph g = TestData.randomGraph(N, 6, 2);
        int[] order = Reordering.breadthFirst(g);
        CsrGraph p = Reordering.permute(g, order, POOL);
        CsrGraph q = permuteLoop(g, order);
        assertArrayEquals(q.rowPtr(), p.rowPtr());
        assertArrayEquals(q.col(), p.col());
        assertArrayEquals(q.weight(), p.weight());
        int c = 3;
        float[] m = new float[N * c];
        for (int i = 0; i < m.length; i++) {
            m[i] = i;
        }
        float[] permuted = Reordering.permuteRows(m, c, order, POOL);
        for (int i = 0; i < N; i++) {
            assertEquals(m[order[i] * c + 2], permuted[i * c + 2]);
        }
        assertArrayEquals(m, Reordering.restoreRows(permuted, c, order, new float[m.length], POOL));
    }

    @Test
    void finishMatchesTheSingleLoops() {
        // Degree 2: a share of the rows is isolated or in components without a label (unreached).
        CsrGraph g = TestData.randomGraph(N, 2, 4);
        int c = 37;
        Labels labels = Labels.of(TestData.fewLabels(N, c, 40), "labels");
        Random r = new Random(5);
        float[] y = new float[N * c];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(4) == 0 ? 0f : r.nextFloat();
        }
        Arrays.fill(y, 100 * c, 101 * c, 0f); // a reached row without mass, if row 100 is reached
        for (boolean cmn : new boolean[] {false, true}) {
            PropagationResult got = Iteration.finish(y.clone(), labels, g, new double[0], true, cmn, POOL);
            Prediction want = finishLoop(y.clone(), labels, g, cmn);
            assertArrayEquals(want.distribution(), got.prediction().distribution());
            assertArrayEquals(want.label(), got.prediction().label());
            assertArrayEquals(want.confidence(), got.prediction().confidence());
            assertTrue(got.unreachedRows() > 0);
        }
        float[] dist = Iteration.finish(y.clone(), labels, g, new double[0], true, true, POOL).prediction()
                .distribution();
        Prediction seq = Prediction.of(labels.classes(), dist);
        assertArrayEquals(seq.label(), Prediction.of(labels.classes(), dist, POOL).label());
        assertArrayEquals(seq.confidence(), Prediction.of(labels.classes(), dist, POOL).confidence());
    }

    // The single loops as they were before the passes went to the workers.

    private static float[] symmetricNormalizedLoop(CsrGraph w) {
        int n = w.rows();
        int[] rowPtr = w.rowPtr();
        int[] col = w.col();
        float[] weight = w.weight();
        double[] deg = new double[n];
        for (int i = 0; i < n; i++) {
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                if (col[e] != i) {
                    deg[col[e]] += weight[e];
                }
            }
        }
        double[] invSqrt = new double[n];
        for (int i = 0; i < n; i++) {
            invSqrt[i] = deg[i] == 0 ? 1.0 : 1.0 / Math.sqrt(deg[i]);
        }
        float[] s = new float[weight.length];
        for (int i = 0; i < n; i++) {
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                s[e] = col[e] == i ? 0f : (float) (weight[e] * invSqrt[i] * invSqrt[col[e]]);
            }
        }
        return s;
    }

    private static float[] randomWalkLoop(CsrGraph w) {
        double[] d = w.rowSums();
        float[] weight = w.weight();
        float[] p = new float[weight.length];
        int[] rowPtr = w.rowPtr();
        for (int i = 0; i < w.rows(); i++) {
            double inv = d[i] == 0 ? 0 : 1.0 / d[i];
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                p[e] = (float) (weight[e] * inv);
            }
        }
        return p;
    }

    private static CsrGraph permuteLoop(CsrGraph g, int[] order) {
        int n = g.rows();
        int[] position = Reordering.inverse(order);
        int[] src = new int[g.edges()];
        int[] dst = new int[g.edges()];
        float[] w = new float[g.edges()];
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int e = g.rowPtr()[i]; e < g.rowPtr()[i + 1]; e++) {
                src[at] = position[i];
                dst[at] = position[g.col()[e]];
                w[at++] = g.weight()[e];
            }
        }
        return GraphBuilder.fromEdges(n, src, dst, w, Symmetrization.NONE, true);
    }

    private static Prediction finishLoop(float[] y, Labels labels, CsrGraph graph, boolean cmn) {
        int n = labels.rows();
        int c = labels.classCount();
        boolean[] reached = Components.pathToLabel(graph, labels.labeledMask());
        for (int i = 0; i < n; i++) {
            if (!reached[i]) {
                Arrays.fill(y, i * c, (i + 1) * c, 0f);
            }
        }
        ClassMass.normalizeRows(y, c);
        if (cmn) {
            double[] prior = labels.classPriors();
            double[] mass = new double[c];
            for (int i = 0; i < n; i++) {
                if (!labels.isLabeled(i)) {
                    for (int k = 0; k < c; k++) {
                        mass[k] += y[i * c + k];
                    }
                }
            }
            double[] scale = ClassMass.scales(mass, prior);
            for (int k = 0; k < c; k++) {
                for (int i = 0; i < n; i++) {
                    if (!labels.isLabeled(i)) {
                        y[i * c + k] = (float) (y[i * c + k] * scale[k]);
                    }
                }
            }
            ClassMass.normalizeRows(y, c);
        }
        Prediction p = Prediction.of(labels.classes(), y);
        assertTrue(Arrays.stream(p.label()).anyMatch(l -> l == Label.UNLABELED));
        return p;
    }
}
