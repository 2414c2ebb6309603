package org.labelprop.core;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A prediction scored against true labels on some rows: the confusion matrix, and from it accuracy and each
 * class's precision, recall and F1. Rows predicted {@link Label#UNLABELED} (no labeled row reaches them) count
 * as wrong, in their own last column.
 *
 * @param classes every label seen among the scored rows, in truth or prediction, ascending
 * @param confusion row-major C x (C + 1) counts: row the true class, column the predicted class, the last column
 *     rows predicted {@link Label#UNLABELED}
 */
public record Evaluation(int[] classes, long[] confusion) {
    public Evaluation {
        if (confusion.length != (long) classes.length * (classes.length + 1)) {
            throw new IllegalArgumentException("Evaluation: " + confusion.length + " counts for " + classes.length
                    + " classes");
        }
    }

    /**
     * The rows a run can be scored on: unlabeled in its input ({@code given}) and with a true label
     * ({@code truth}); both one label per row, {@link Label#UNLABELED} for none.
     */
    public static int[] heldOut(int[] given, int[] truth) {
        if (given.length != truth.length) {
            throw new IllegalArgumentException("Evaluation: " + given.length + " given labels, " + truth.length
                    + " true ones");
        }
        return Arrays.stream(Label.unlabeledRows(given)).filter(i -> truth[i] != Label.UNLABELED).toArray();
    }

    /** Scores {@code p} against {@code truth} (one label per row) on {@code rows}. */
    public static Evaluation of(Prediction p, int[] truth, int[] rows) {
        int[] classes = IntStream.concat(Arrays.stream(rows).map(r -> truth[r]),
                Arrays.stream(rows).map(r -> p.label()[r]).filter(l -> l != Label.UNLABELED)).distinct().sorted()
                .toArray();
        int c = classes.length;
        long[] confusion = new long[c * (c + 1)];
        for (int r : rows) {
            int predicted = p.label()[r];
            int column = predicted == Label.UNLABELED ? c : Arrays.binarySearch(classes, predicted);
            confusion[Arrays.binarySearch(classes, truth[r]) * (c + 1) + column]++;
        }
        return new Evaluation(classes, confusion);
    }

    /** Rows of true class column {@code t} predicted as class column {@code q} ({@code classCount()}: no label). */
    public long count(int t, int q) {
        return confusion[t * (classes.length + 1) + q];
    }

    public int classCount() {
        return classes.length;
    }

    public long scored() {
        return Arrays.stream(confusion).sum();
    }

    /** Share of the scored rows predicted right; NaN when none were scored. */
    public double accuracy() {
        long right = 0;
        for (int t = 0; t < classes.length; t++) {
            right += count(t, t);
        }
        return (double) right / scored();
    }

    /** Of the rows predicted as class column {@code q}, the share that are; NaN when none were. */
    public double precision(int q) {
        long predicted = 0;
        for (int t = 0; t < classes.length; t++) {
            predicted += count(t, q);
        }
        return (double) count(q, q) / predicted;
    }

    /** Of the rows of class column {@code t}, the share predicted as it; NaN when there are none. */
    public double recall(int t) {
        long actual = 0;
        for (int q = 0; q <= classes.length; q++) {
            actual += count(t, q);
        }
        return (double) count(t, t) / actual;
    }

    /** The harmonic mean of precision and recall; 0 when both are 0, NaN when either is undefined. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
