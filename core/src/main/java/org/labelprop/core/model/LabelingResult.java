package org.labelprop.core.model;

import java.util.List;
import org.labelprop.core.algo.Inductive;

/**
 * What pseudo-labeling or self-training produced.
 *
 * @param model the last model fitted
 * @param prediction that model's probabilities, labels and confidences for every row
 * @param label per row: the given label (round 0), the pseudo-label it was given, or -1 if it never got one
 * @param round per row: 0 for given labels, the round its (final) pseudo-label was accepted in, -1 for never
 * @param stop why the loop ended
 * @param history round 0 (given labels only) and every round after it
 */
public record LabelingResult(Model model, Inductive.Prediction prediction, int[] label, int[] round, StopReason stop,
                             List<Round> history) {
    /** Rows that got a pseudo-label. */
    public int pseudoLabeled() {
        int n = 0;
        for (int r : round) {
            if (r > 0) {
                n++;
            }
        }
        return n;
    }
}
