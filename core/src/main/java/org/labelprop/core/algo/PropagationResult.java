package org.labelprop.core.algo;

import org.labelprop.core.Prediction;

/**
 * What a propagation produced: the prediction of every graph row, and how the iteration went.
 *
 * @param prediction distribution, label and confidence per row; rows no labeled row reaches have label -1 and
 *     confidence 0
 * @param iterations steps performed
 * @param converged whether the residual fell below the tolerance before the iteration limit
 * @param residuals the residual of every step, in order
 * @param unreachedRows rows labelled -1 because no labeled row reaches them (their connected component
 *     holds none, or on a directed graph no path leads to one)
 * @param rowsWithoutMass rows labelled -1 although a labeled row reaches them: none of the label's mass
 *     arrived, because the iteration stopped first or the weights on the way are 0 (underflowed)
 */
public record PropagationResult(Prediction prediction, int iterations, boolean converged, double[] residuals,
                                int unreachedRows, int rowsWithoutMass) {
}
