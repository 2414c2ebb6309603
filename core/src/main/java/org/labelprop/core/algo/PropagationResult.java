package org.labelprop.core.algo;

/**
 * What a propagation produced, per row and overall.
 *
 * @param classes the original label of each class column
 * @param distribution row-major n x C class distributions, each row summing to 1 (0 for unreached rows)
 * @param label predicted original label per row, -1 where no labeled row could reach it
 * @param confidence the winning class's probability, 0 where unreached
 * @param iterations steps performed
 * @param converged whether the residual fell below the tolerance before the iteration limit
 * @param residuals the residual of every step, in order
 * @param unreachedRows rows labelled -1 because no labeled row reaches them (their connected component
 *     holds none, or on a directed graph no path leads to one)
 */
public record PropagationResult(int[] classes, float[] distribution, int[] label, float[] confidence,
                                int iterations, boolean converged, double[] residuals, int unreachedRows) {
    public int rows() {
        return label.length;
    }

    public int classCount() {
        return classes.length;
    }

    /** Probability of class column c for row i. */
    public float probability(int i, int c) {
        return distribution[i * classes.length + c];
    }

    /** Fraction of the given rows whose predicted label equals {@code truth[row]}. */
    public double accuracy(int[] truth, int[] rows) {
        int hit = 0;
        for (int r : rows) {
            if (label[r] == truth[r]) {
                hit++;
            }
        }
        return rows.length == 0 ? Double.NaN : (double) hit / rows.length;
    }
}
