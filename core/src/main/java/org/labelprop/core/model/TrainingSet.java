package org.labelprop.core.model;

import java.util.Arrays;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.algo.Labels;

/**
 * The rows a classifier is fitted on, as indices into a feature matrix rather than a copy: self-training
 * refits on a growing subset of one large matrix every round. Transductive classifiers also use the other
 * rows of {@code features} (as graph nodes without a label).
 *
 * @param features all rows, labeled or not
 * @param rows the training rows, indices into {@code features}
 * @param target the class column (0..C-1) of each training row
 * @param weight each training row's weight (>= 0), or null for all 1
 * @param classes the original label of each class column, ascending
 */
public record TrainingSet(FloatMatrix features, int[] rows, int[] target, float[] weight, int[] classes) {
    public TrainingSet {
        if (rows.length != target.length || (weight != null && weight.length != rows.length)) {
            throw new IllegalArgumentException("TrainingSet: " + rows.length + " rows, " + target.length
                    + " targets, " + (weight == null ? "no" : weight.length) + " weights");
        }
        if (classes.length == 0) {
            throw new IllegalArgumentException("TrainingSet: no classes");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= features.rows()) {
                throw new IllegalArgumentException("TrainingSet: row " + rows[i] + " outside 0.." + features.rows());
            }
            if (target[i] < 0 || target[i] >= classes.length) {
                throw new IllegalArgumentException("TrainingSet: target " + target[i] + " outside 0.." + classes.length);
            }
            if (weight != null && !(weight[i] >= 0f && Float.isFinite(weight[i]))) {
                throw new IllegalArgumentException("TrainingSet: weight " + weight[i] + " of row " + rows[i]);
            }
        }
    }

    /** The labeled rows of {@code labels}, each weighing its label's confidence (1 unless given). */
    public static TrainingSet of(FloatMatrix features, Labels labels) {
        int[] rows = new int[labels.labeledCount()];
        int[] target = new int[rows.length];
        float[] weight = new float[rows.length];
        boolean weighted = false;
        int t = 0;
        for (int i = 0; i < labels.rows(); i++) {
            if (labels.isLabeled(i)) {
                rows[t] = i;
                weight[t] = labels.confidence(i);
                weighted |= weight[t] != 1f;
                target[t++] = labels.column(i);
            }
        }
        return new TrainingSet(features, rows, target, weighted ? weight : null, labels.classes());
    }

    public int size() {
        return rows.length;
    }

    public int classCount() {
        return classes.length;
    }

    public float weight(int i) {
        return weight == null ? 1f : weight[i];
    }

    /** Sum of the weights. */
    public double totalWeight() {
        if (weight == null) {
            return rows.length;
        }
        double s = 0;
        for (float w : weight) {
            s += w;
        }
        return s;
    }

    @Override
    public String toString() {
        return "TrainingSet[" + rows.length + " of " + features.rows() + " rows, classes " + Arrays.toString(classes) + "]";
    }
}
