package org.labelprop.core.algo;

import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;

/**
 * Poisson learning (Calder, Cook, Thorpe and Slepcev, ICML 2020), for very few labels: solve the graph
 * Poisson equation L u = b, L = D - W, whose source b is each labeled row's one-hot label minus the mean of
 * the labeled one-hots (0 on unlabeled rows), and predict argmax u. Where Laplace learning's solution
 * flattens to a constant away from the few labels, this one does not.
 *
 * <p>Solved as graphlearning's gradient-descent solver does: u &lt;- D^-1 b + D^-1 W^T u from u = 0, one
 * propagation step each (alpha 1, beta 1, nothing clamped), for as many steps as a lazy random walk
 * started uniformly on the labeled rows needs to mix: max |v - v_inf| &lt;= 1/n with v_inf = degrees / total
 * degree, and at least {@code minIter} steps. The iterate keeps the degree-weighted mean of u at 0.
 */
public final class PoissonLearning {
    private PoissonLearning() {
    }

    /**
     * @param minIter steps taken even when the walk has mixed sooner (graphlearning: 50)
     * @param maxIter steps at most; a result that stopped here reports {@code converged} false
     */
    public record Options(int minIter, int maxIter) {
        public Options {
            if (minIter < 1) {
                throw new InvalidOptionException("PoissonLearning.Options.minIter", "must be >= 1, got " + minIter);
            }
            if (maxIter < minIter) {
                throw new InvalidOptionException("PoissonLearning.Options.maxIter",
                        "must be >= minIter (" + minIter + "), got " + maxIter);
            }
        }

        /** graphlearning's: at least 50 steps, at most 1000. */
        public static Options defaults() {
            return new Options(50, 1000);
        }

        public Options withMinIter(int newMinIter) {
            return new Options(newMinIter, maxIter);
        }

        public Options withMaxIter(int newMaxIter) {
            return new Options(minIter, newMaxIter);
        }
    }

    /**
     * The prediction's distribution is a softmax of u scaled by the standard deviation of its entries: it
     * ranks classes (and margins) as u does, but is not a calibrated probability.
     */
    public static PropagationResult fit(Backend backend, CsrGraph graph, Labels labels, Options options,
                                        Progress progress) {
        Scores s = solve(backend, graph, labels, options, progress);
        return Iteration.finish(Scores.softmax(s.u(), labels.classCount()), labels, graph, s.residuals(), s.converged(),
                false, backend.workers());
    }

    /** u itself, row-major n x C, with the residual of every step. */
    record Scores(float[] u, double[] residuals, boolean converged) {
        /** Row-wise softmax of u / sd(u): a distribution that ranks classes as u does. */
        static float[] softmax(float[] u, int c) {
            double sd = standardDeviation(u);
            return softmaxRows(u, c, sd > 0 ? 1 / sd : 1);
        }
    }

    /**
     * Row-wise softmax of {@code scale} x u, row-major n x c: Poisson learning's distribution with scale 1 /
     * sd(u) over all entries (the Spark engine computes sd over its blocks, then calls this per block).
     */
    public static float[] softmaxRows(float[] u, int c, double scale) {
        float[] p = new float[u.length];
        double[] z = new double[c];
        for (int o = 0; o < u.length; o += c) {
            for (int k = 0; k < c; k++) {
                z[k] = u[o + k] * scale;
            }
            Prediction.softmax(z, z);
            for (int k = 0; k < c; k++) {
                p[o + k] = (float) z[k];
            }
        }
        return p;
    }

    /** Of all entries: the scale of scores whose offset and units mean nothing. */
    private static double standardDeviation(float[] x) {
        double sum = 0;
        double sq = 0;
        for (float v : x) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / x.length;
        return Math.sqrt(Math.max(sq / x.length - mean * mean, 0));
    }

    static Scores solve(Backend backend, CsrGraph graph, Labels labels, Options options, Progress progress) {
        Iteration.requireRows(graph, labels);
        int n = labels.rows();
        int c = labels.classCount();
        // Self-loops cancel in L = D - W; without them the iteration converges faster (graphlearning drops them too).
        CsrGraph w = withoutSelfLoops(graph);
        double[] degree = w.rowSums();
        int steps = mixingSteps(w, degree, labels.labeledMask(), options);
        float[] source = scaledSource(labels, degree);
        // u_1 = D^-1 b: starting there saves the step from u = 0.
        Iteration.Run r = Iteration.iterate(backend, operator(w, degree), c, source, source,
                new StepRule(1f, 1f, null, false), Iteration.Stop.steps(Math.max(steps - 1, 1)), progress);
        return new Scores(r.y(), r.residuals(), steps < options.maxIter());
    }

    /**
     * b, row-major n x C: one-hot - mean of the labeled one-hots on labeled rows, 0 elsewhere; with soft
     * labels w_i (one-hot - weighted mean), so b still sums to 0 per class.
     */
    private static float[] source(Labels labels) {
        int c = labels.classCount();
        double[] mean = labels.classPriors();
        float[] b = new float[labels.rows() * c];
        for (int i = 0; i < labels.rows(); i++) {
            for (int k = 0; labels.isLabeled(i) && k < c; k++) {
                b[i * c + k] = (float) (labels.confidence(i) * ((labels.column(i) == k ? 1 : 0) - mean[k]));
            }
        }
        return b;
    }

    /** D^-1 b, rows without edges 0. */
    private static float[] scaledSource(Labels labels, double[] degree) {
        int c = labels.classCount();
        float[] b = source(labels);
        for (int i = 0; i < labels.rows(); i++) {
            for (int k = 0; k < c; k++) {
                b[i * c + k] = degree[i] > 0 ? (float) (b[i * c + k] / degree[i]) : 0f;
            }
        }
        return b;
    }

    /** D^-1 W^T. */
    private static CsrGraph operator(CsrGraph graph, double[] degree) {
        CsrGraph t = graph.transpose();
        float[] w = t.weight();
        float[] p = new float[w.length];
        int[] rowPtr = t.rowPtr();
        for (int i = 0; i < t.rows(); i++) {
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                p[e] = degree[i] == 0 ? 0f : (float) (w[e] / degree[i]);
            }
        }
        return t.withWeights(p);
    }

    private static CsrGraph withoutSelfLoops(CsrGraph g) {
        float[] w = g.weight().clone();
        int[] rowPtr = g.rowPtr();
        int[] col = g.col();
        for (int i = 0; i < g.rows(); i++) {
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                if (col[e] == i) {
                    w[e] = 0f;
                }
            }
        }
        return g.withWeights(w);
    }

    /**
     * Steps until a lazy random walk, v &lt;- (v + W D^-1 v) / 2 from the uniform distribution on the labeled
     * rows, is within 1/n of its stationary distribution everywhere; between minIter and maxIter.
     */
    private static int mixingSteps(CsrGraph graph, double[] degree, boolean[] labeled, Options options) {
        int n = graph.rows();
        double total = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            total += degree[i];
            count += labeled[i] ? 1 : 0;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = labeled[i] ? 1.0 / count : 0;
        }
        // (W D^-1 v)_i = sum_j w_ij v_j / d_j: row i of W against D^-1 v.
        int[] rowPtr = graph.rowPtr();
        int[] col = graph.col();
        float[] w = graph.weight();
        double[] scaled = new double[n];
        double[] next = new double[n];
        int t = 0;
        while (t < options.maxIter() && (t < options.minIter() || !mixed(v, degree, total, n))) {
            for (int j = 0; j < n; j++) {
                scaled[j] = degree[j] == 0 ? 0 : v[j] / degree[j];
            }
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                    s += w[e] * scaled[col[e]];
                }
                next[i] = 0.5 * (v[i] + s);
            }
            double[] swap = v;
            v = next;
            next = swap;
            t++;
        }
        return t;
    }

    private static boolean mixed(double[] v, double[] degree, double total, int n) {
        for (int i = 0; i < n; i++) {
            if (Math.abs(v[i] - degree[i] / total) > 1.0 / n) {
                return false;
            }
        }
        return true;
    }
}
