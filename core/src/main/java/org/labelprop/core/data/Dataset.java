package org.labelprop.core.data;

import org.labelprop.core.FloatMatrix;

/** Features with every row's true class: what the demo and the accuracy tests hide and recover. */
public record Dataset(String name, FloatMatrix features, int[] truth) {
    public Dataset {
        if (features.rows() != truth.length) {
            throw new IllegalArgumentException(features.rows() + " rows but " + truth.length + " classes");
        }
    }
}
