package org.labelprop.core.algo;

import it.unimi.dsi.fastutil.ints.Int2DoubleMap;
import it.unimi.dsi.fastutil.ints.Int2DoubleOpenHashMap;
import java.util.Arrays;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Prediction;
import org.labelprop.core.graph.CsrGraph;

/**
 * Which unlabeled rows a person should label next, from a fitted prediction and its graph. Each row scores
 * its uncertainty times its reach, and rows are taken greedily, each pick damping the rows near it:
 * <ul>
 *   <li>uncertainty: 1 - (p1 - p2), one minus the margin between the two most probable classes (1 where no
 *       label reaches the row);
 *   <li>reach: sum_j w_ij u_j / mean degree, the uncertain neighbourhood a label at the row would settle, so
 *       an uncertain outlier ranks below an uncertain row in a dense, uncertain region;
 *   <li>diversity: after each pick i, scores are multiplied by 1 - h_j / max h, h a lazy random walk of
 *       {@value #DIVERSITY_STEPS} steps from i, so a batch does not sit in one cluster; and no predicted class
 *       gets more than its share, ceil(budget / classes), while rows of other classes (or rows no label reaches)
 *       remain.
 * </ul>
 */
public final class ActiveLearning {
    static final int DIVERSITY_STEPS = 8;

    private ActiveLearning() {
    }

    /**
     * @param budget rows to suggest, at most the number of unlabeled rows
     * @return unlabeled rows, best first
     */
    public static int[] suggest(CsrGraph graph, Labels labels, Prediction prediction, int budget) {
        Iteration.requireRows(graph, labels);
        checkBudget(labels, budget);
        int n = labels.rows();
        double[] u = uncertainty(labels, prediction);
        double[] score = reachWeighted(graph, u);
        int c = prediction.classCount();
        int perClass = (budget + c - 1) / c;
        int[] picked = new int[c + 1];
        int[] chosen = new int[budget];
        boolean[] taken = labels.labeledMask();
        for (int b = 0; b < budget; b++) {
            int best = -1;
            int bestFull = -1;
            for (int i = 0; i < n; i++) {
                if (taken[i]) {
                    continue;
                }
                int k = predictedColumn(prediction, i, c);
                if (k < c && picked[k] >= perClass) {
                    bestFull = bestFull < 0 || score[i] > score[bestFull] ? i : bestFull;
                } else if (best < 0 || score[i] > score[best]) {
                    best = i;
                }
            }
            best = best < 0 ? bestFull : best;
            chosen[b] = best;
            taken[best] = true;
            picked[predictedColumn(prediction, best, c)]++;
            damp(graph, best, score);
        }
        return chosen;
    }

    /** The row's predicted class column, or c for rows no label reaches. */
    private static int predictedColumn(Prediction p, int row, int c) {
        int k = Prediction.argmax(p.distribution(), row, c);
        return k < 0 ? c : k;
    }

    /** Fails unless 1 &lt;= budget &lt;= the unlabeled rows: a caller can check before fitting anything. */
    public static void checkBudget(Labels labels, int budget) {
        int unlabeled = labels.rows() - labels.labeledCount();
        if (budget < 1) {
            throw new InvalidOptionException("ActiveLearning.budget", "must be at least 1, got " + budget);
        }
        if (budget > unlabeled) {
            throw new InvalidOptionException("ActiveLearning.budget",
                    "is " + budget + " but only " + unlabeled + " rows are unlabeled");
        }
    }

    /** 1 - margin per row; labeled rows 0, rows without any class mass 1. */
    static double[] uncertainty(Labels labels, Prediction p) {
        int c = p.classCount();
        double[] u = new double[labels.rows()];
        for (int i = 0; i < u.length; i++) {
            if (labels.isLabeled(i)) {
                continue;
            }
            double first = 0;
            double second = 0;
            for (int k = 0; k < c; k++) {
                double q = p.probability(i, k);
                if (q > first) {
                    second = first;
                    first = q;
                } else if (q > second) {
                    second = q;
                }
            }
            u[i] = first == 0 ? 1 : 1 - (first - second);
        }
        return u;
    }

    private static double[] reachWeighted(CsrGraph g, double[] u) {
        int[] rowPtr = g.rowPtr();
        int[] col = g.col();
        float[] w = g.weight();
        double meanDegree = g.edges() == 0 ? 1 : Arrays.stream(g.rowSums()).sum() / g.rows();
        double[] s = new double[g.rows()];
        for (int i = 0; i < s.length; i++) {
            double reach = 0;
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                reach += w[e] * u[col[e]];
            }
            s[i] = u[i] * (u[i] + reach / meanDegree);
        }
        return s;
    }

    /**
     * Multiplies each score by 1 - h_j / max h, h the distribution of a lazy random walk started at
     * {@code from} after {@link #DIVERSITY_STEPS} steps (from i to j with probability w_ij / d_i). Touches
     * only the rows the walk reaches.
     */
    private static void damp(CsrGraph g, int from, double[] score) {
        Int2DoubleOpenHashMap h = new Int2DoubleOpenHashMap();
        h.put(from, 1.0);
        int[] rowPtr = g.rowPtr();
        int[] col = g.col();
        float[] w = g.weight();
        for (int t = 0; t < DIVERSITY_STEPS; t++) {
            Int2DoubleOpenHashMap next = new Int2DoubleOpenHashMap(h.size() * 4);
            for (Int2DoubleMap.Entry e : h.int2DoubleEntrySet()) {
                int i = e.getIntKey();
                double half = e.getDoubleValue() / 2;
                double out = 0;
                for (int q = rowPtr[i]; q < rowPtr[i + 1]; q++) {
                    out += w[q];
                }
                next.addTo(i, out == 0 ? 2 * half : half);
                for (int q = rowPtr[i]; out > 0 && q < rowPtr[i + 1]; q++) {
                    next.addTo(col[q], half * w[q] / out);
                }
            }
            h = next;
        }
        double max = h.values().doubleStream().max().orElse(1);
        for (Int2DoubleMap.Entry e : h.int2DoubleEntrySet()) {
            score[e.getIntKey()] *= 1 - e.getDoubleValue() / max;
        }
    }
}
