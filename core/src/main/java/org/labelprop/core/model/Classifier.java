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
    Model fit(Backend backend, TrainingSet data);

    /**
     * Fits on {@code data} and predicts every row of {@code data.features()}, labeled or not: one round of
     * pseudo-labeling or self-training. By default {@link #fit}, then {@link Model#predict} on those rows. A
     * transductive classifier ({@link SpreadingClassifier}) answers them from what it fitted and fits its model
     * for other rows only when {@link Fit#modelForNewRows} is called.
     */
    default Fit fitAndPredict(Backend backend, TrainingSet data) {
        Model model = fit(backend, data);
        return new Fit.Inductive(model, model.predict(backend, data.features()));
    }
}
