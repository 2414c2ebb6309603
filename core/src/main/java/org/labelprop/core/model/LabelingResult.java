package org.labelprop.core.model;

import java.util.List;
import org.labelprop.core.Prediction;

/**
 * What pseudo-labeling or self-training produced.
 *
 * @param fit the last round's fit: its prediction of every row ({@link #prediction}), and the model for new rows
 *     ({@link Fit#modelForNewRows})
 * @param label per row: the given label (round 0), the pseudo-label it was given, or -1 if it never got one
 * @param round per row: 0 for given labels, the round its (final) pseudo-label was accepted in, -1 for never
 * @param stop why the loop ended
 * @param history round 0 (given labels only) and every round after it
 */
public record LabelingResult(Fit fit, int[] label, int[] round, StopReason stop, List<Round> history) {
    /** The last round's probabilities, labels and confidences for every row. */
    public Prediction prediction() {
        return fit.prediction();
    }

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
