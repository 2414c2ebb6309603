package org.labelprop.core.model;

import org.labelprop.core.Prediction;
import org.labelprop.core.backend.Backend;

/**
 * What {@link Classifier#fitAndPredict} returns: the prediction of every row of the training set's feature
 * matrix, and the way to a model for rows outside it.
 */
public interface Fit {
    /** The prediction of every row of the training set's feature matrix, labeled or not, in row order. */
    Prediction prediction();

    /**
     * The model for rows outside the fitted matrix, the one {@link ModelFile} saves. An inductive classifier's
     * fit returns the model it predicted with. A transductive one fits its inductive model in this call, anew on
     * every call (spreading: logistic regression on the propagated labels), so call it once and keep the model.
     */
    Model modelForNewRows(Backend backend);

    /** An inductive classifier's fit: its model, and that model's prediction of the training set's matrix. */
    record Inductive(Model model, Prediction prediction) implements Fit {
        @Override
        public Model modelForNewRows(Backend backend) {
            return model;
        }
    }
}
