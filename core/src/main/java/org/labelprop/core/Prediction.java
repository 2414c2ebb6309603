package org.labelprop.core;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * Class predictions for a set of rows, the shape every technique answers in: label propagation and spreading,
 * the nearest-neighbour vote for rows outside a graph, and the model-based classifiers.
 *
 * @param classes the original label of each class column, ascending
 * @param distribution row-major n x C class probabilities, each row summing to 1 or, where no class has mass,
 *     all 0
 * @param label per row the original label of its most probable class ({@link #argmax}),
 *     {@link Label#UNLABELED} where no class has mass
 * @param confidence per row the probability of that class, 0 where no class has mass
 */
public record Prediction(int[] classes, float[] distribution, int[] label, float[] confidence) {
    public Prediction {
        if (confidence.length != label.length || distribution.length != (long) label.length * classes.length) {
            throw new IllegalArgumentException("Prediction: " + label.length + " labels, " + confidence.length
                    + " confidences and " + distribution.length + " probabilities for " + classes.length + " classes");
        }
    }

    /** Labels each row of a row-major n x {@code classes.length} distribution with its {@link #argmax}. */
    public static Prediction of(int[] classes, float[] distribution) {
        return of(classes, distribution, null);
    }

    /**
     * {@link #of(int[], float[])} with the rows split over {@code pool} (null: the calling thread): the same
     * labels, sooner on many rows.
     */
    public static Prediction of(int[] classes, float[] distribution, ForkJoinPool pool) {
        int c = classes.length;
        if (c == 0) {
            throw new IllegalArgumentException("Prediction: no classes");
        }
        int n = distribution.length / c;
        int[] label = new int[n];
        float[] confidence = new float[n];
        Parallel.Range rows = (from, to) -> label(classes, distribution, label, confidence, from, to);
        if (pool == null) {
            rows.run(0, n);
        } else {
            Parallel.forRows(pool, n, rows);
        }
        return new Prediction(classes, distribution, label, confidence);
    }

    private static void label(int[] classes, float[] distribution, int[] label, float[] confidence, int from, int to) {
        int c = classes.length;
        for (int i = from; i < to; i++) {
            int best = argmax(distribution, i, c);
            label[i] = best < 0 ? Label.UNLABELED : classes[best];
            confidence[i] = best < 0 ? 0f : distribution[i * c + best];
        }
    }

    /**
     * The most probable class column of row {@code row} of a row-major n x {@code classes} distribution, or -1
     * when no class has mass. Strictly greater wins, so the lowest column wins ties, as numpy's argmax does.
     */
    public static int argmax(float[] distribution, int row, int classes) {
        int o = row * classes;
        int best = -1;
        float bestP = 0f;
        for (int q = 0; q < classes; q++) {
            if (distribution[o + q] > bestP) {
                bestP = distribution[o + q];
                best = q;
            }
        }
        return best;
    }

    /**
     * The softmax of scores {@code z} into {@code p} (which may be {@code z} itself), without overflow: the
     * scores are first shifted in place by their maximum m, then p_k = exp(z_k) / sum_j exp(z_j). Returns
     * log sum_j exp(z_j) of the shifted scores, so that log p_k = z_k - that value: the fit's loss takes it from
     * there without subtracting two large numbers.
     */
    public static double softmax(double[] z, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            z[k] -= max;
            p[k] = Math.exp(z[k]);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) {
            p[k] /= sum;
        }
        return Math.log(sum);
    }

    public int rows() {
        return label.length;
    }

    public int classCount() {
        return classes.length;
    }

    /** Probability of class column c for row i. */
    public float probability(int i, int c) {
        return distribution[i * classes.length + c];
    }

    /**
     * Per class column, how many of {@code rows} are predicted as that class; the last element, at
     * {@link #classCount()}, counts the rows with no label ({@link Label#UNLABELED}).
     */
    public long[] classCounts(int[] rows) {
        long[] counts = new long[classes.length + 1];
        for (int r : rows) {
            counts[label[r] == Label.UNLABELED ? classes.length : Arrays.binarySearch(classes, label[r])]++;
        }
        return counts;
    }

    /** The spread of the predicted class's probability over some rows. */
    public record ConfidenceSummary(double min, double median, double mean) {
    }

    /** Min, median and mean confidence over {@code rows}; each NaN when there are none. */
    public ConfidenceSummary confidenceSummary(int[] rows) {
        if (rows.length == 0) {
            return new ConfidenceSummary(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] c = new double[rows.length];
        double sum = 0;
        for (int i = 0; i < rows.length; i++) {
            c[i] = confidence[rows[i]];
            sum += c[i];
        }
        Arrays.sort(c);
        int m = c.length / 2;
        double median = c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
        return new ConfidenceSummary(c[0], median, sum / c.length);
    }

    /** Fraction of the given rows whose predicted label equals {@code truth[row]}; NaN when there are none. */
    public double accuracy(int[] truth, int[] rows) {
        int hit = 0;
        for (int r : rows) {
            if (label[r] == truth[r]) {
                hit++;
            }
        }
        return rows.length == 0 ? Double.NaN : (double) hit / rows.length;
    }
}
