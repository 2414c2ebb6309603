package org.labelprop.core.algo;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.Prediction;

/**
 * A final decision for any algorithm: rescale each class's scores over the unlabeled rows so that the
 * predicted class sizes match given proportions, as graphlearning's volume label projection does. Where
 * the graph favours large or dense classes, the few-label algorithms overfill them; priors undo that.
 * Labeled rows keep their prediction.
 */
public final class ClassPriors {
    /** Every class the same share. */
    public static final ClassPriors UNIFORM = new ClassPriors("uniform", null);
    /** Each class's share among the labeled rows. */
    public static final ClassPriors LABELED = new ClassPriors("labeled", null);

    /** Sums within this of 1 are accepted: priors typed with a few decimals. */
    static final double SUM_TOLERANCE = 1e-3;
    private static final int ROUNDS = 500;

    private final String source;
    private final Map<Integer, Double> byLabel;

    private ClassPriors(String source, Map<Integer, Double> byLabel) {
        this.source = source;
        this.byLabel = byLabel;
    }

    /**
     * Given shares by original label.
     *
     * @param source named in errors (a file name)
     * @throws DataException when a share is negative or not finite, or the shares do not sum to 1
     */
    public static ClassPriors of(Map<Integer, Double> byLabel, String source) {
        return of(byLabel, source, ClassNames.NUMBERS);
    }

    /**
     * Given shares by label, errors naming a class by {@code names} (what
     * {@link org.labelprop.core.io.ClassPriorReader#read(java.nio.file.Path, ClassNames)} mapped the names in
     * the file by).
     */
    public static ClassPriors of(Map<Integer, Double> byLabel, String source, ClassNames names) {
        TreeMap<Integer, Double> sorted = new TreeMap<>(byLabel);
        double sum = 0;
        for (Map.Entry<Integer, Double> e : sorted.entrySet()) {
            if (!(e.getValue() >= 0 && e.getValue() <= 1)) {
                throw new DataException(source + ": the prior of class " + names.name(e.getKey()) + " is "
                        + e.getValue()
                        + "; priors are shares in [0, 1]");
            }
            sum += e.getValue();
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new DataException(source + ": the class priors sum to " + sum + "; they must sum to 1");
        }
        return new ClassPriors(source, sorted);
    }

    /**
     * The share of each class column of {@code labels}.
     *
     * @throws DataException when given priors name a class the labels lack, or leave one of theirs out
     */
    public double[] resolve(Labels labels) {
        int c = labels.classCount();
        if (byLabel == null) {
            double[] q = this == LABELED ? labels.classPriors() : new double[c];
            if (this == UNIFORM) {
                Arrays.fill(q, 1.0 / c);
            }
            return q;
        }
        int[] classes = labels.classes();
        double[] q = new double[c];
        for (Map.Entry<Integer, Double> e : byLabel.entrySet()) {
            int k = Arrays.binarySearch(classes, e.getKey());
            if (k < 0) {
                throw new DataException(source + ": class " + labels.names().name(e.getKey())
                        + " is not among the labels' classes " + Arrays.toString(labels.names().names(classes)));
            }
            q[k] = e.getValue();
        }
        for (int k = 0; k < c; k++) {
            if (!byLabel.containsKey(classes[k])) {
                throw new DataException(source + ": no prior for class " + labels.className(k) + "; give one per "
                        + "class " + Arrays.toString(labels.names().names(classes)));
            }
        }
        return q;
    }

    /**
     * The prediction with each class column scaled by a weight w_k (rows renormalized) over the unlabeled
     * rows, the weights chosen by {@link #offsets} on log probabilities so that the argmax class counts there
     * come as close to the priors as they can.
     */
    public Prediction apply(Prediction p, Labels labels) {
        double[] prior = resolve(labels);
        int c = p.classCount();
        float[] dist = p.distribution().clone();
        int[] rows = java.util.stream.IntStream.range(0, p.rows())
                .filter(i -> !labels.isLabeled(i) && Prediction.argmax(dist, i, c) >= 0).toArray();
        if (rows.length == 0) {
            return p;
        }
        double[] logP = new double[dist.length];
        for (int i = 0; i < dist.length; i++) {
            logP[i] = Math.log(dist[i]);
        }
        double[] logW = offsets(logP, rows, c, prior, 2);
        for (int i : rows) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                dist[i * c + k] = (float) (dist[i * c + k] * Math.exp(logW[k]));
                sum += dist[i * c + k];
            }
            for (int k = 0; k < c; k++) {
                dist[i * c + k] = (float) (dist[i * c + k] / sum);
            }
        }
        return Prediction.of(p.classes(), dist);
    }

    /**
     * Offsets t_k such that the counts of argmax_k (score_ik + t_k) over {@code rows} come as close to
     * prior_k |rows| as they can: steps t_k += eta (target_k - count_k) / |rows| with eta shrinking from
     * {@code eta0} (of the order of the scores' spread), keeping the offsets whose largest count error was
     * smallest; done when that error is within 0.1% of the rows (a class size need not be exact, and each
     * step is a pass over all rows).
     *
     * @param score row-major n x c
     */
    private static double[] offsets(double[] score, int[] rows, int c, double[] prior, double eta0) {
        double[] t = new double[c];
        double[] best = t.clone();
        long bestError = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long[] count = new long[c];
            for (int i : rows) {
                count[argmax(score, i, c, t)]++;
            }
            long error = 0;
            for (int k = 0; k < c; k++) {
                error = Math.max(error, Math.abs(Math.round(prior[k] * rows.length) - count[k]));
            }
            if (error < bestError) {
                bestError = error;
                best = t.clone();
            }
            if (error <= rows.length / 1000) {
                break;
            }
            double eta = eta0 / (1 + round / 100.0);
            for (int k = 0; k < c; k++) {
                t[k] += eta * (prior[k] * rows.length - count[k]) / rows.length;
            }
        }
        return best;
    }

    /** argmax_k (score_ik + offset_k), the lowest k on ties. */
    private static int argmax(double[] score, int i, int c, double[] offset) {
        int arg = 0;
        double top = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            double s = score[i * c + k] + offset[k];
            if (s > top) {
                top = s;
                arg = k;
            }
        }
        return arg;
    }

    @Override
    public String toString() {
        return source;
    }
}
