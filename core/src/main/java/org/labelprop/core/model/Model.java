package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.algo.Inductive;
import org.labelprop.core.algo.Labels;

/** A fitted classifier: class probabilities for rows with the features it was trained on. */
public interface Model {
    /** The original label of each probability column, ascending. */
    int[] classes();

    /** Number of features a row must have. */
    int features();

    /** Row-major {@code x.rows() x classes().length} probabilities, each row summing to 1 (or all 0: no vote). */
    float[] probabilities(FloatMatrix x, Backend compute);

    /**
     * The model to keep for rows it has never seen: itself, except for a transductive model, which answers
     * the rows it was fitted on from its graph and hands new rows to an inductive model. This is what
     * {@link ModelFile} saves.
     */
    default Model forNewRows(Backend compute) {
        return this;
    }

    /** Probabilities with each row's most probable label (-1 where a row has no vote) and its probability. */
    default Inductive.Prediction predict(FloatMatrix x, Backend compute) {
        float[] p = probabilities(x, compute);
        int[] classes = classes();
        int c = classes.length;
        int[] label = new int[x.rows()];
        float[] confidence = new float[x.rows()];
        for (int i = 0; i < label.length; i++) {
            int best = -1;
            float bestP = 0f;
            for (int q = 0; q < c; q++) {
                if (p[i * c + q] > bestP) {
                    bestP = p[i * c + q];
                    best = q;
                }
            }
            label[i] = best < 0 ? Labels.UNLABELED : classes[best];
            confidence[i] = bestP;
        }
        return new Inductive.Prediction(classes, p, label, confidence);
    }
}
