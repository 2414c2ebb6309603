package org.labelprop.core.algo;

import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;

/**
 * Poisson-MBO (Calder et al. 2020, the paper's Algorithm 2): start from Poisson learning's labels, then
 * alternate {@code inner} steps of the Poisson equation's heat flow, u <- (I - dt L) u + mu dt b with
 * dt = 1 / max degree, with a volume-constrained threshold: each row takes argmax_k (u_k + t_k), the
 * offsets t chosen so the class sizes match the priors ({@link ClassPriors#offsets}), and u restarts from
 * those one-hot rows. Each heat step is one propagation step (alpha 1, beta 1) with G = I - dt L.
 */
public final class PoissonMbo {
    private PoissonMbo() {
    }

    /**
     * @param outer threshold steps (graphlearning's T: 20)
     * @param inner heat-flow steps between thresholds (graphlearning's Ns: 40)
     * @param mu the source's weight (graphlearning: 1)
     * @param priors the class sizes the threshold keeps
     */
    public record Options(PoissonLearning.Options poisson, int outer, int inner, double mu, ClassPriors priors) {
        public Options {
            if (outer < 1) {
                throw new InvalidOptionException("PoissonMbo.Options.outer", "must be >= 1, got " + outer);
            }
            if (inner < 1) {
                throw new InvalidOptionException("PoissonMbo.Options.inner", "must be >= 1, got " + inner);
            }
            if (!(mu > 0)) {
                throw new InvalidOptionException("PoissonMbo.Options.mu", "must be > 0, got " + mu);
            }
        }

        /** graphlearning's: 20 thresholds, 40 heat steps each, mu 1, the labeled class proportions. */
        public static Options defaults() {
            return new Options(PoissonLearning.Options.defaults(), 20, 40, 1, ClassPriors.LABELED);
        }
    }

    /** The distribution is a softmax of the last heat flow plus the offsets, as Poisson learning's is of u. */
    public static PropagationResult fit(Backend backend, CsrGraph graph, Labels labels, Options options,
                                        Progress progress) {
        PoissonLearning.Scores poisson = PoissonLearning.solve(backend, graph, labels, options.poisson(), progress);
        int n = labels.rows();
        int c = labels.classCount();
        double[] prior = options.priors().resolve(labels);
        int[] all = java.util.stream.IntStream.range(0, n).toArray();
        double[] score = new double[n * c];
        for (int i = 0; i < score.length; i++) {
            score[i] = poisson.u()[i];
        }
        double[] offset = new double[c];
        CsrGraph w = PoissonLearning.withoutSelfLoops(graph);
        double[] degree = w.rowSums();
        double dt = 1 / java.util.Arrays.stream(degree).max().orElse(1);
        CsrGraph heat = heatStep(w, degree, dt);
        float[] source = PoissonLearning.source(labels);
        for (int i = 0; i < source.length; i++) {
            source[i] = (float) (options.mu() * dt * source[i]);
        }
        StepRule rule = new StepRule(1f, 1f, null, false);
        float[] u = new float[n * c];
        for (int round = 0; round < options.outer(); round++) {
            java.util.Arrays.fill(u, 0f);
            for (int i = 0; i < n; i++) {
                u[i * c + ClassPriors.argmax(score, i, c, offset)] = 1f;
            }
            float[] y = Iteration.iterate(backend, heat, c, u, source, rule, Iteration.Stop.steps(options.inner()),
                    progress).y();
            for (int i = 0; i < score.length; i++) {
                score[i] = y[i];
            }
            offset = ClassPriors.offsets(score, all, c, prior,
                    2 * Math.max(PoissonLearning.standardDeviation(y), 1e-30));
        }
        float[] shifted = new float[n * c];
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = (float) (score[i] + offset[i % c]);
        }
        return Iteration.finish(PoissonLearning.Scores.softmax(shifted, c), labels, graph, poisson.residuals(),
                poisson.converged(), false);
    }

    /** I - dt L = I - dt D + dt W, the diagonal merged into each row in column order. */
    private static CsrGraph heatStep(CsrGraph w, double[] degree, double dt) {
        int n = w.rows();
        int[] rowPtr = w.rowPtr();
        int[] col = w.col();
        float[] weight = w.weight();
        int[] ptr = new int[n + 1];
        int[] outCol = new int[w.edges() + n];
        float[] outW = new float[outCol.length];
        int o = 0;
        for (int i = 0; i < n; i++) {
            boolean diagonal = false;
            for (int e = rowPtr[i]; e <= rowPtr[i + 1]; e++) {
                if (!diagonal && (e == rowPtr[i + 1] || col[e] >= i)) {
                    outCol[o] = i;
                    outW[o++] = (float) (1 - dt * degree[i]);
                    diagonal = true;
                }
                // A self-loop left with weight 0 by withoutSelfLoops is dropped here.
                if (e < rowPtr[i + 1] && col[e] != i) {
                    outCol[o] = col[e];
                    outW[o++] = (float) (dt * weight[e]);
                }
            }
            ptr[i + 1] = o;
        }
        return CsrGraph.of(n, ptr, java.util.Arrays.copyOf(outCol, o), java.util.Arrays.copyOf(outW, o));
    }
}
