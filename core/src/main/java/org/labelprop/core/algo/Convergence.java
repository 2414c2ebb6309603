package org.labelprop.core.algo;

/** When an iteration counts as converged, given the step's residual sum |Y_next - Y|. */
public enum Convergence {
    /** residual / rows below tol: independent of the dataset's size. */
    MEAN_ROW_CHANGE,
    /** residual below tol, as scikit-learn's semi_supervised module tests it. */
    TOTAL_CHANGE;

    boolean reached(double residual, int rows, double tol) {
        double r = this == MEAN_ROW_CHANGE ? residual / Math.max(rows, 1) : residual;
        return r < tol;
    }
}
