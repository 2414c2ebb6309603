package org.labelprop.core.model;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import org.labelprop.core.Prediction;
import org.labelprop.core.backend.Backend;

/**
 * Label spreading's answer for the rows of the graph it was fitted on, and the inductive model for other rows,
 * fitted when {@link #modelForNewRows} is called: self-training rounds over the graph never need it.
 */
final class SpreadingFit implements Fit {
    private final TrainingSet fitted;
    private final Prediction prediction;
    private final float minConfidence;
    private final Classifier inductive;

    SpreadingFit(TrainingSet fitted, Prediction prediction, float minConfidence, Classifier inductive) {
        this.fitted = fitted;
        this.prediction = prediction;
        this.minConfidence = minConfidence;
        this.inductive = inductive;
    }

    @Override
    public Prediction prediction() {
        return prediction;
    }

    /**
     * Fits the inductive classifier on the training rows with their own labels plus every other row whose
     * propagated label has at least the minimum confidence.
     */
    @Override
    public Model modelForNewRows(Backend backend) {
        return inductive.fit(backend, propagatedTrainingSet());
    }

    /** The training rows as given, then the confidently propagated rows with their propagated class. */
    TrainingSet propagatedTrainingSet() {
        int n = fitted.features().rows();
        int c = fitted.classCount();
        boolean[] given = new boolean[n];
        IntArrayList rows = new IntArrayList();
        IntArrayList target = new IntArrayList();
        for (int i = 0; i < fitted.size(); i++) {
            if (fitted.weight(i) > 0f) {
                given[fitted.rows()[i]] = true;
                rows.add(fitted.rows()[i]);
                target.add(fitted.target()[i]);
            }
        }
        float[] dist = prediction.distribution();
        for (int i = 0; i < n; i++) {
            if (given[i]) {
                continue;
            }
            int best = Prediction.argmax(dist, i, c);
            if (best >= 0 && dist[i * c + best] >= minConfidence) {
                rows.add(i);
                target.add(best);
            }
        }
        return new TrainingSet(fitted.features(), rows.toIntArray(), target.toIntArray(), null, fitted.classes());
    }
}
