package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import it.unimi.dsi.fastutil.floats.FloatArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Label;
import org.labelprop.core.Prediction;
import org.labelprop.core.algo.Labels;

/** What pseudo-labeling and self-training share: input checks, training sets, validation accuracy. */
final class Loop {
    private Loop() {
    }

    /**
     * Refuses inputs the loops cannot learn from: labels for other rows than the features, one class only,
     * a class with a single labeled row (every pseudo-label of that class would rest on one example), or
     * validation rows that are also training labels.
     */
    static void check(FloatMatrix x, Labels labels, int[] validation) {
        if (labels.rows() != x.rows()) {
            throw new DataException("the labels have " + labels.rows() + " rows but the features " + x.rows()
                    + "; give one label (or -1) per row");
        }
        if (labels.classCount() < 2) {
            throw new DataException("only one class (" + labels.className(0) + ") among the labeled rows; "
                    + "a classifier needs at least two");
        }
        int[] count = new int[labels.classCount()];
        int[] lastRow = new int[labels.classCount()];
        for (int i = 0; i < labels.rows(); i++) {
            if (labels.isLabeled(i)) {
                count[labels.column(i)]++;
                lastRow[labels.column(i)] = i;
            }
        }
        for (int c = 0; c < count.length; c++) {
            if (count[c] == 1) {
                throw new DataException("class " + labels.className(c) + " has a single labeled row (row "
                        + (lastRow[c] + 1) + "); pseudo-labeling and self-training need at least two per class");
            }
        }
        if (validation != null) {
            if (validation.length != x.rows()) {
                throw new DataException("the validation labels have " + validation.length + " rows but the features "
                        + x.rows() + "; give one label (or -1) per row");
            }
            for (int i = 0; i < validation.length; i++) {
                if (validation[i] >= 0 && labels.isLabeled(i)) {
                    throw new DataException("row " + (i + 1) + " is both a training label and a validation label; "
                            + "validation rows must be held out (-1 in the training labels)");
                }
            }
        }
    }

    /**
     * What a loop carries from round to round: each row's class column (-1: none yet) and the round it got
     * it (0: given, -1: never), the current fit and its prediction of every row, and the per-round history.
     */
    static final class State {
        final FloatMatrix x;
        final Labels labels;
        final int[] column;
        final int[] round;
        private final int[] validation;
        /** The rows with a validation label, or null without validation. */
        private final int[] validationRows;
        private final Classifier classifier;
        private final Backend backend;
        private final List<Round> history = new ArrayList<>();
        Fit fit;

        /** Checks the inputs, fits on the given labels alone and records that as round 0. */
        State(Backend backend, FloatMatrix x, Labels labels, int[] validation, Classifier classifier) {
            check(x, labels, validation);
            this.x = x;
            this.labels = labels;
            this.validation = validation;
            this.validationRows = validation == null ? null
                    : IntStream.range(0, validation.length).filter(i -> validation[i] >= 0).toArray();
            this.classifier = classifier;
            this.backend = backend;
            int n = x.rows();
            column = new int[n];
            round = new int[n];
            int[] given = new int[labels.classCount()];
            for (int i = 0; i < n; i++) {
                column[i] = labels.column(i);
                round[i] = labels.isLabeled(i) ? 0 : -1;
                if (labels.isLabeled(i)) {
                    given[column[i]]++;
                }
            }
            long t0 = System.nanoTime();
            refit(null);
            history.add(new Round(0, given, labels.labeledCount(), labels.labeledCount(), 1f, validationAccuracy(),
                    (System.nanoTime() - t0) / 1e9));
        }

        /** The current fit's prediction of every row. */
        Prediction prediction() {
            return fit.prediction();
        }

        private void refit(float[] rowWeight) {
            fit = classifier.fitAndPredict(backend, trainingSet(x, column, rowWeight, labels.classes()));
        }

        /**
         * Refits on every row with a class column, weighted by {@code rowWeight} (null: all 1), and records
         * round r, begun at {@code startNanos}.
         */
        void refit(int r, float[] rowWeight, int[] perClass, int labeled, int changed, float weight,
                   long startNanos) {
            refit(rowWeight);
            history.add(new Round(r, perClass, labeled, changed, weight, validationAccuracy(),
                    (System.nanoTime() - startNanos) / 1e9));
        }

        /** Accuracy of the current prediction on the validation rows; NaN without them. */
        private double validationAccuracy() {
            return validationRows == null ? Double.NaN : prediction().accuracy(validation, validationRows);
        }

        LabelingResult result(StopReason stop) {
            int[] label = new int[column.length];
            for (int i = 0; i < column.length; i++) {
                label[i] = column[i] < 0 ? Label.UNLABELED : labels.classLabel(column[i]);
            }
            return new LabelingResult(fit, label, round, stop, List.copyOf(history));
        }
    }

    /** The rows with a class column (>= 0) in row order, with their weights. */
    static TrainingSet trainingSet(FloatMatrix x, int[] column, float[] rowWeight, int[] classes) {
        IntArrayList rows = new IntArrayList();
        IntArrayList target = new IntArrayList();
        FloatArrayList weight = new FloatArrayList();
        boolean allOne = true;
        for (int i = 0; i < column.length; i++) {
            if (column[i] >= 0) {
                rows.add(i);
                target.add(column[i]);
                float w = rowWeight == null ? 1f : rowWeight[i];
                weight.add(w);
                allOne &= w == 1f;
            }
        }
        return new TrainingSet(x, rows.toIntArray(), target.toIntArray(), allOne ? null : weight.toFloatArray(),
                classes);
    }
}
