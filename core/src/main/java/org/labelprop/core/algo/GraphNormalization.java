package org.labelprop.core.algo;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.Parallel;
import org.labelprop.core.graph.CsrGraph;

/**
 * The normalized matrices the algorithms iterate with, as new weights on the same CSR structure. The per-edge
 * passes run on the backend's workers, each row on its own, so the weights are those of a single loop.
 */
final class GraphNormalization {
    private GraphNormalization() {
    }

    /** P = D^-1 W, D the row sums: each row a probability distribution over its neighbours. */
    static CsrGraph randomWalk(CsrGraph w, ForkJoinPool pool) {
        double[] d = w.rowSums();
        float[] weight = w.weight();
        float[] p = new float[weight.length];
        int[] rowPtr = w.rowPtr();
        Parallel.forRows(pool, w.rows(), (from, to) -> {
            for (int i = from; i < to; i++) {
                double inv = d[i] == 0 ? 0 : 1.0 / d[i];
                for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                    p[e] = (float) (weight[e] * inv);
                }
            }
        });
        return w.withWeights(p);
    }

    /**
     * S = D^-1/2 W D^-1/2 with the diagonal zeroed, D the column sums of W without its diagonal (rows with
     * none count as 1). For a symmetric W without self-loops this is Zhou et al.'s S; for scikit-learn's
     * directed graph with self-loops it is exactly what LabelSpreading builds through scipy's normed
     * Laplacian, whose degrees are in-degrees excluding the diagonal.
     */
    static CsrGraph symmetricNormalized(CsrGraph w, ForkJoinPool pool) {
        int n = w.rows();
        int[] rowPtr = w.rowPtr();
        int[] col = w.col();
        float[] weight = w.weight();
        // Column sums scatter into every row, so they stay one loop: each degree adds its terms in edge order.
        double[] deg = new double[n];
        for (int i = 0; i < n; i++) {
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                if (col[e] != i) {
                    deg[col[e]] += weight[e];
                }
            }
        }
        double[] invSqrt = new double[n];
        Parallel.forRows(pool, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                invSqrt[i] = deg[i] == 0 ? 1.0 : 1.0 / Math.sqrt(deg[i]);
            }
        });
        float[] s = new float[weight.length];
        Parallel.forRows(pool, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                    s[e] = col[e] == i ? 0f : (float) (weight[e] * invSqrt[i] * invSqrt[col[e]]);
                }
            }
        });
        return w.withWeights(s);
    }
}
