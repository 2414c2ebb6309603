package org.labelprop.core.algo;

import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;

/**
 * Label spreading (Zhou et al. 2004): Y &lt;- alpha S Y + (1 - alpha) Y0 with S = D^-1/2 W D^-1/2. Labeled
 * rows are not clamped, so noisy labels can be outvoted; the fixed point is (1 - alpha)(I - alpha S)^-1 Y0.
 */
public final class LabelSpreading {
    private LabelSpreading() {
    }

    /**
     * @param alpha    in (0, 1): the share of each step that comes from the neighbours
     * @param momentum second-order steps where plain ones converge slowly ({@link MomentumSchedule}), on
     *                 symmetric graphs: the same fixed point in several times fewer steps (Fashion-MNIST, alpha
     *                 0.99: about 85 against 445). A graph not known to be symmetric ({@link
     *                 CsrGraph#symmetricStructure}) is stepped plainly.
     */
    public record Options(float alpha, double tol, int maxIter, Convergence convergence,
                          boolean classMassNormalization, boolean momentum) {
        public Options {
            if (!(alpha > 0f && alpha < 1f)) {
                throw new InvalidOptionException("LabelSpreading.Options.alpha", "must be in (0, 1), got " + alpha);
            }
            if (!(tol >= 0)) {
                throw new InvalidOptionException("LabelSpreading.Options.tol", "must be >= 0, got " + tol);
            }
            if (maxIter < 1) {
                throw new InvalidOptionException("LabelSpreading.Options.maxIter", "must be >= 1, got " + maxIter);
            }
        }

        /**
         * alpha 0.99; stop when a step changes Y by less than 1e-5 of its mass (on Fashion-MNIST the labels
         * no longer move by then); class mass normalization on, which gains about a point of accuracy there;
         * momentum on.
         */
        public static Options defaults() {
            return new Options(0.99f, 1e-5, 1000, Convergence.RELATIVE_CHANGE, true, true);
        }

        /** scikit-learn's LabelSpreading: alpha 0.2, tol 1e-3 on the total change, max_iter 30, plain steps. */
        public static Options sklearn() {
            return new Options(0.2f, 1e-3, 30, Convergence.TOTAL_CHANGE, false, false);
        }

        public Options withAlpha(float newAlpha) {
            return new Options(newAlpha, tol, maxIter, convergence, classMassNormalization, momentum);
        }

        public Options withTol(double newTol) {
            return new Options(alpha, newTol, maxIter, convergence, classMassNormalization, momentum);
        }

        public Options withMaxIter(int newMaxIter) {
            return new Options(alpha, tol, newMaxIter, convergence, classMassNormalization, momentum);
        }

        public Options withConvergence(Convergence newConvergence) {
            return new Options(alpha, tol, maxIter, newConvergence, classMassNormalization, momentum);
        }

        public Options withClassMassNormalization(boolean newClassMassNormalization) {
            return new Options(alpha, tol, maxIter, convergence, newClassMassNormalization, momentum);
        }

        public Options withMomentum(boolean newMomentum) {
            return new Options(alpha, tol, maxIter, convergence, classMassNormalization, newMomentum);
        }

        /** A new schedule of these options' step momenta on a graph that is, or is not, known to be symmetric. */
        public MomentumSchedule schedule(boolean symmetricGraph) {
            return momentum ? MomentumSchedule.forSpreading(alpha, symmetricGraph) : MomentumSchedule.none();
        }
    }

    public static PropagationResult fit(Backend backend, CsrGraph graph, Labels labels, Options options,
                                        Progress progress) {
        return Iteration.run(backend, GraphNormalization.symmetricNormalized(graph, backend.workers()), graph, labels,
                new StepRule(options.alpha(), 1f - options.alpha(), null, false),
                new Iteration.Stop(options.tol(), options.maxIter(), options.convergence()),
                options.schedule(graph.symmetricStructure()), options.classMassNormalization(), progress);
    }

    /**
     * The spreading iteration on any row-major n x {@code columns} matrix, exactly {@code steps} steps from
     * Y = Y0: Y &lt;- alpha S Y + (1 - alpha) Y0. Values may be negative (Correct and Smooth spreads residuals).
     */
    public static float[] spread(Backend backend, CsrGraph graph, float[] y0, int columns, float alpha, int steps,
                                 Progress progress) {
        if (!(alpha > 0f && alpha < 1f)) {
            throw new InvalidOptionException("LabelSpreading.Options.alpha", "must be in (0, 1), got " + alpha);
        }
        return Iteration.iterate(backend, GraphNormalization.symmetricNormalized(graph, backend.workers()), columns, y0, y0,
                new StepRule(alpha, 1f - alpha, null, false), Iteration.Stop.steps(steps), progress).y();
    }
}
