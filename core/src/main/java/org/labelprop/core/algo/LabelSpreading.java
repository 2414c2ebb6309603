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
     * @param alpha in (0, 1): the share of each step that comes from the neighbours
     */
    public record Options(float alpha, double tol, int maxIter, Convergence convergence,
                          boolean classMassNormalization) {
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
         * no longer move by then); class mass normalization on, which gains about a point of accuracy there.
         */
        public static Options defaults() {
            return new Options(0.99f, 1e-5, 1000, Convergence.RELATIVE_CHANGE, true);
        }

        /** scikit-learn's LabelSpreading: alpha 0.2, tol 1e-3 on the total change, max_iter 30. */
        public static Options sklearn() {
            return new Options(0.2f, 1e-3, 30, Convergence.TOTAL_CHANGE, false);
        }

        public Options withAlpha(float newAlpha) {
            return new Options(newAlpha, tol, maxIter, convergence, classMassNormalization);
        }

        public Options withTol(double newTol) {
            return new Options(alpha, newTol, maxIter, convergence, classMassNormalization);
        }

        public Options withMaxIter(int newMaxIter) {
            return new Options(alpha, tol, newMaxIter, convergence, classMassNormalization);
        }

        public Options withConvergence(Convergence newConvergence) {
            return new Options(alpha, tol, maxIter, newConvergence, classMassNormalization);
        }

        public Options withClassMassNormalization(boolean newClassMassNormalization) {
            return new Options(alpha, tol, maxIter, convergence, newClassMassNormalization);
        }
    }

    public static PropagationResult fit(Backend backend, CsrGraph graph, Labels labels, Options options,
                                        Progress progress) {
        StepRule rule = new StepRule(options.alpha(), 1f - options.alpha(), null, false);
        return Iteration.run(backend, GraphNormalization.symmetricNormalized(graph, backend.workers()), graph, labels, rule,
                new Iteration.Stop(options.tol(), options.maxIter(), options.convergence()),
                options.classMassNormalization(), progress);
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
