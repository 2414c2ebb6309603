package org.labelprop.core.algo;

import org.labelprop.core.DataException;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;

/**
 * Real-valued targets on a graph, NaN where unknown:
 * <ul>
 *   <li>Laplace learning (Zhu, Ghahramani and Lafferty 2003): the harmonic extension, each unknown row the
 *       weighted mean of its neighbours, known rows clamped; label propagation on one column;
 *   <li>spreading: label spreading on two columns, the targets and the known rows' indicator, their ratio
 *       the value (a weighted mean of the known targets, which does not shrink towards 0 far from them).
 * </ul>
 * Each predicted row comes with a reliability in (0, 1]: 1 / (1 + sum_j P_ij (f_j - f_i)^2 / var), var the
 * variance of the known targets, so a row whose neighbours disagree with it is less reliable.
 */
public final class Regression {
    private Regression() {
    }

    /** The two ways to extend real values along the graph. */
    public enum Method {
        LAPLACE,
        SPREADING
    }

    /**
     * @param alpha    spreading's, in (0, 1); Laplace learning ignores it
     * @param momentum spreading's second-order steps on symmetric graphs, as {@link LabelSpreading.Options#momentum};
     *                 Laplace learning ignores it
     */
    public record Options(Method method, float alpha, double tol, int maxIter, boolean momentum) {
        public Options {
            if (method == Method.SPREADING && !(alpha > 0f && alpha < 1f)) {
                throw new InvalidOptionException("Regression.Options.alpha", "must be in (0, 1), got " + alpha);
            }
            if (!(tol >= 0)) {
                throw new InvalidOptionException("Regression.Options.tol", "must be >= 0, got " + tol);
            }
            if (maxIter < 1) {
                throw new InvalidOptionException("Regression.Options.maxIter", "must be >= 1, got " + maxIter);
            }
        }

        /** Laplace learning, relative tolerance 1e-5, at most 1000 steps; spreading with momentum. */
        public static Options defaults() {
            return new Options(Method.LAPLACE, 0.99f, 1e-5, 1000, true);
        }

        public Options withMethod(Method newMethod) {
            return new Options(newMethod, alpha, tol, maxIter, momentum);
        }

        public Options withAlpha(float newAlpha) {
            return new Options(method, newAlpha, tol, maxIter, momentum);
        }

        public Options withTol(double newTol) {
            return new Options(method, alpha, newTol, maxIter, momentum);
        }

        public Options withMaxIter(int newMaxIter) {
            return new Options(method, alpha, tol, newMaxIter, momentum);
        }

        public Options withMomentum(boolean newMomentum) {
            return new Options(method, alpha, tol, maxIter, newMomentum);
        }
    }

    /**
     * @param value per row; NaN where no known row reaches it
     * @param reliability per row in (0, 1], 0 where no known row reaches it
     */
    public record Result(float[] value, float[] reliability, int iterations, boolean converged) {
    }

    /**
     * @param targets one per graph row, NaN for unknown
     * @throws DataException when no target is known or one is infinite
     */
    public static Result fit(Backend backend, CsrGraph graph, float[] targets, Options options, Progress progress) {
        int n = graph.rows();
        if (targets.length != n) {
            throw new DataException("the graph has " + n + " rows but the targets " + targets.length
                    + "; give one target (or NaN) per row");
        }
        boolean[] known = new boolean[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (Float.isInfinite(targets[i])) {
                throw new DataException("targets: row " + (i + 1) + ": target " + targets[i] + " is infinite");
            }
            known[i] = !Float.isNaN(targets[i]);
            count += known[i] ? 1 : 0;
        }
        if (count == 0) {
            throw new DataException("targets: no known target among " + n + " rows");
        }
        Iteration.Stop stop = new Iteration.Stop(options.tol(), options.maxIter(), Convergence.RELATIVE_CHANGE);
        boolean laplace = options.method() == Method.LAPLACE;
        int c = laplace ? 1 : 2;
        float[] y0 = new float[n * c];
        for (int i = 0; i < n; i++) {
            if (known[i]) {
                y0[i * c] = targets[i];
                if (!laplace) {
                    y0[i * c + 1] = 1f;
                }
            }
        }
        CsrGraph operator = laplace ? GraphNormalization.randomWalk(graph, backend.workers())
                : GraphNormalization.symmetricNormalized(graph, backend.workers());
        StepRule rule = laplace ? new StepRule(1f, 0f, known, false)
                : new StepRule(options.alpha(), 1f - options.alpha(), null, false);
        MomentumSchedule momentum = !laplace && options.momentum()
                ? MomentumSchedule.forSpreading(options.alpha(), graph.symmetricStructure()) : MomentumSchedule.none();
        Iteration.Run run = Iteration.iterate(backend, operator, c, y0, y0, rule, stop, momentum, progress);
        boolean[] reached = org.labelprop.core.graph.Components.of(graph).reachesLabel(known);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = !reached[i] ? Float.NaN : laplace ? run.y()[i] : run.y()[i * 2] / run.y()[i * 2 + 1];
        }
        return new Result(f, reliability(graph, f, targets, known), run.residuals().length, run.converged());
    }

    private static float[] reliability(CsrGraph graph, float[] f, float[] targets, boolean[] known) {
        double sum = 0;
        double sq = 0;
        int count = 0;
        for (int i = 0; i < f.length; i++) {
            if (known[i]) {
                sum += targets[i];
                sq += (double) targets[i] * targets[i];
                count++;
            }
        }
        double mean = sum / count;
        double var = Math.max(sq / count - mean * mean, 1e-30);
        int[] rowPtr = graph.rowPtr();
        int[] col = graph.col();
        float[] w = graph.weight();
        float[] r = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            if (Float.isNaN(f[i])) {
                continue;
            }
            double spread = 0;
            double degree = 0;
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                if (!Float.isNaN(f[col[e]])) {
                    double d = f[col[e]] - f[i];
                    spread += w[e] * d * d;
                    degree += w[e];
                }
            }
            r[i] = (float) (1 / (1 + (degree > 0 ? spread / degree : 0) / var));
        }
        return r;
    }
}
