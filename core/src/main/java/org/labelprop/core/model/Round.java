package org.labelprop.core.model;

/**
 * One round of a pseudo-labeling or self-training loop, for the history a run reports. Round 0 is the model
 * fitted on the given labels alone.
 *
 * @param round 0 for the supervised start, then 1, 2, ...
 * @param perClass self-training: rows accepted this round per class column (round 0: the given labels);
 *                 pseudo-labeling: pseudo-labels per class column used in this round's fit
 * @param labeled rows the model of this round was fitted on
 * @param changed self-training: rows accepted this round; pseudo-labeling: rows whose pseudo-label changed
 * @param weight weight of the pseudo-labeled rows in this round's fit (1 for self-training)
 * @param validationAccuracy accuracy of this round's model on the validation rows, NaN without them
 * @param seconds wall time of the round (fit and prediction)
 */
public record Round(int round, int[] perClass, int labeled, int changed, float weight, double validationAccuracy,
                    double seconds) {
}
