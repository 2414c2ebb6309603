package org.labelprop.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Which rows keep their label in an experiment: a fixed number per class, drawn with a seed. */
public final class LabelSplit {
    private LabelSplit() {
    }

    /**
     * Labels with {@code perClass} rows of each class kept (fewer if a class is smaller) and every other
     * row -1. The same seed gives the same rows: a partial Fisher-Yates shuffle per class.
     */
    public static int[] perClass(int[] truth, int perClass, long seed) {
        int classes = Arrays.stream(truth).max().orElse(-1) + 1;
        int[] labels = new int[truth.length];
        Arrays.fill(labels, -1);
        SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < classes; c++) {
            final int cls = c;
            int[] rows = java.util.stream.IntStream.range(0, truth.length).filter(i -> truth[i] == cls).toArray();
            int take = Math.min(perClass, rows.length);
            for (int t = 0; t < take; t++) {
                int s = t + random.nextInt(rows.length - t);
                int tmp = rows[t];
                rows[t] = rows[s];
                rows[s] = tmp;
                labels[rows[t]] = c;
            }
        }
        return labels;
    }

    /** The rows whose label is hidden (-1): where accuracy is measured. */
    public static int[] hidden(int[] labels) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] < 0).toArray();
    }
}
