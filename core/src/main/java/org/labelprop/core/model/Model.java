package org.labelprop.core.model;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.backend.Backend;

/** A fitted classifier: class probabilities for any rows with the features it was trained on. */
public interface Model {
    /** The original label of each probability column, ascending. */
    int[] classes();

    /** Number of features a row must have. */
    int features();

    /** Row-major {@code x.rows() x classes().length} probabilities, each row summing to 1 (or all 0: no vote). */
    float[] probabilities(Backend backend, FloatMatrix x);

    /** Probabilities with each row's most probable label (-1 where a row has no vote) and its probability. */
    default Prediction predict(Backend backend, FloatMatrix x) {
        return Prediction.of(classes(), probabilities(backend, x));
    }
}
