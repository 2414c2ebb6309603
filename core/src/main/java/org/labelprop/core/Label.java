package org.labelprop.core;

import java.util.stream.IntStream;

/**
 * A class label is any non-negative int; {@link #UNLABELED} marks a row without one: in label files, in
 * {@code algo.Labels}, and in a {@link Prediction} where no class has mass. It sits here, below every package,
 * because the readers in {@code io} and the algorithms above them share it.
 */
public final class Label {
    public static final int UNLABELED = -1;

    private Label() {
    }

    /** The rows of {@code labels} (one per row) that are {@link #UNLABELED}, ascending. */
    public static int[] unlabeledRows(int[] labels) {
        return IntStream.range(0, labels.length).filter(i -> labels[i] == UNLABELED).toArray();
    }
}
