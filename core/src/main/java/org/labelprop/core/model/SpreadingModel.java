package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import org.labelprop.core.FloatMatrix;

/**
 * Label spreading's answer for the rows of the matrix it was fitted on, and an inductive model for others.
 * The matrix is recognised by identity: pass the same {@link FloatMatrix} object to get the propagated
 * distributions; any other matrix counts as new rows. The inductive model is fitted on first use (self-
 * training rounds over the graph never need it).
 */
public final class SpreadingModel implements Model {
    private final TrainingSet fitted;
    private final float[] distribution;
    private final float minConfidence;
    private final Classifier inductiveClassifier;
    private Model inductive;

    SpreadingModel(TrainingSet fitted, float[] distribution, float minConfidence, Classifier inductiveClassifier) {
        this.fitted = fitted;
        this.distribution = distribution;
        this.minConfidence = minConfidence;
        this.inductiveClassifier = inductiveClassifier;
    }

    @Override
    public int[] classes() {
        return fitted.classes().clone();
    }

    @Override
    public int features() {
        return fitted.features().cols();
    }

    @Override
    public float[] probabilities(FloatMatrix x, Backend compute) {
        if (x == fitted.features()) {
            return distribution.clone();
        }
        return forNewRows(compute).probabilities(x, compute);
    }

    /**
     * The inductive model, fitted on the training rows with their own labels plus every other row whose
     * propagated label has at least the minimum confidence.
     */
    @Override
    public synchronized Model forNewRows(Backend compute) {
        if (inductive == null) {
            inductive = inductiveClassifier.fit(propagatedTrainingSet(), compute);
        }
        return inductive;
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
        for (int i = 0; i < n; i++) {
            if (given[i]) {
                continue;
            }
            int best = -1;
            float bestP = 0f;
            for (int q = 0; q < c; q++) {
                if (distribution[i * c + q] > bestP) {
                    bestP = distribution[i * c + q];
                    best = q;
                }
            }
            if (best >= 0 && bestP >= minConfidence) {
                rows.add(i);
                target.add(best);
            }
        }
        return new TrainingSet(fitted.features(), rows.toIntArray(), target.toIntArray(), null, fitted.classes());
    }
}
