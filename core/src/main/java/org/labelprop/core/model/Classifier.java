package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
/**
 * A supervised learner that pseudo-labeling and self-training wrap. Implement it to plug in a model of
 * your own: fit on the rows of a {@link TrainingSet}, return a {@link Model} that gives class probabilities
 * for any rows with the same features.
 */
public interface Classifier {
    /** Short name for logs and history files: logistic, knn, spreading. */
    String name();

    /** Fits a new model; must not keep a reference to {@code data}'s arrays that it later mutates. */
    Model fit(TrainingSet data, Backend compute);
}
