package org.labelprop.core.algo;

import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;

/**
 * Label propagation (Zhu and Ghahramani 2002): Y &lt;- D^-1 W Y with rows renormalized and labeled rows
 * clamped to their labels. At the fixed point each unlabeled row's distribution is the weighted average
 * of its neighbours' (the harmonic solution).
 */
public final class LabelPropagation {
    private LabelPropagation() {
    }

    /**
     * @param tol the residual below which iteration stops, measured as {@code convergence} says
     * @param classMassNormalization rescale classes to the labeled class proportions at the end
     */
    public record Options(double tol, int maxIter, Convergence convergence, boolean classMassNormalization) {
        public Options {
            if (!(tol >= 0)) {
                throw new InvalidOptionException("LabelPropagation.Options.tol", "must be >= 0, got " + tol);
            }
            if (maxIter < 1) {
                throw new InvalidOptionException("LabelPropagation.Options.maxIter", "must be >= 1, got " + maxIter);
            }
        }

        /** Relative tolerance 1e-5, at most 1000 steps, class mass normalization on. */
        public static Options defaults() {
            return new Options(1e-5, 1000, Convergence.RELATIVE_CHANGE, true);
        }

        /** scikit-learn's LabelPropagation: tol 1e-3 on the total change, max_iter 1000. */
        public static Options sklearn() {
            return new Options(1e-3, 1000, Convergence.TOTAL_CHANGE, false);
        }

        public Options withTol(double newTol) {
            return new Options(newTol, maxIter, convergence, classMassNormalization);
        }

        public Options withMaxIter(int newMaxIter) {
            return new Options(tol, newMaxIter, convergence, classMassNormalization);
        }

        public Options withConvergence(Convergence newConvergence) {
            return new Options(tol, maxIter, newConvergence, classMassNormalization);
        }

        public Options withClassMassNormalization(boolean newClassMassNormalization) {
            return new Options(tol, maxIter, convergence, newClassMassNormalization);
        }
    }

    public static PropagationResult fit(Backend backend, CsrGraph graph, Labels labels, Options options,
                                        Progress progress) {
        StepRule rule = new StepRule(1f, 0f, labels.labeledMask(), true);
        return Iteration.run(backend, GraphNormalization.randomWalk(graph, backend.workers()), graph, labels, rule,
                new Iteration.Stop(options.tol(), options.maxIter(), options.convergence()),
                options.classMassNormalization(), progress);
    }
}
