package org.labelprop.core.algo;

import org.labelprop.core.backend.StepResult;

/** When an iteration counts as converged. */
public enum Convergence {
    /**
     * sum |Y_next - Y| / sum |Y_next| below tol: the same meaning on any dataset size and label count
     * (spreading's Y holds little mass per row when few rows are labeled, so an absolute test stops early).
     */
    RELATIVE_CHANGE,
    /** sum |Y_next - Y| below tol, as scikit-learn's semi_supervised module tests it. */
    TOTAL_CHANGE;

    /** Whether a step with this result ends the iteration at tolerance {@code tol}. */
    public boolean reached(StepResult step, double tol) {
        return measure(step) < tol;
    }

    /** What is compared with the tolerance. */
    double measure(StepResult step) {
        return this == RELATIVE_CHANGE ? step.relativeChange() : step.change();
    }
}
