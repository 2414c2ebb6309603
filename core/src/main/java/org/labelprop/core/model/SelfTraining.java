package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import org.labelprop.core.InvalidOptionException;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.ints.IntComparator;
import java.util.Arrays;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.algo.Labels;

/**
 * Self-training (Yarowsky 1995; scikit-learn's SelfTrainingClassifier): fit on the labeled rows, accept the
 * unlabeled rows the model is most sure of as labeled, refit, and repeat. A row once accepted keeps its label.
 *
 * <p>Criterion: {@code threshold} accepts every row whose top probability is above T (strictly, as
 * scikit-learn); {@code k-best} accepts the k most confident rows. With {@code balance} the rows accepted in
 * a round follow the given labels' class proportions p_c: of the M rows the criterion would accept, the
 * round accepts floor(M' p_c) of class c, the most confident first, where M' is the largest number that
 * every class's candidates can fill (M' &lt;= M). The least confident class therefore paces each round, and
 * a round where some class has no candidate accepts nothing and ends the loop.
 *
 * <p>Tolerance of the balance: each round's count of class c is within 1 row below M' p_c, so after R rounds
 * that accepted A rows in total, each class's share of the accepted rows differs from p_c by at most
 * {@code R * max(1, C p_c) / A} (C classes). This is what {@link #balanceTolerance} returns and what the
 * tests assert.
 */
public final class SelfTraining {
    /** Which predictions a round accepts. */
    public enum Criterion {
        THRESHOLD,
        K_BEST
    }

    /**
     * @param threshold the confidence a prediction must exceed, in [0, 1); used by THRESHOLD
     * @param kBest rows accepted per round, >= 1; used by K_BEST
     * @param maxRounds rounds of accepting rows; 0 fits the given labels only
     * @param balance accept per class in proportion to the given labels' class frequencies
     */
    public record Options(Criterion criterion, double threshold, int kBest, int maxRounds, boolean balance) {
        public Options {
            if (criterion == Criterion.THRESHOLD && !(threshold >= 0 && threshold < 1)) {
                throw new InvalidOptionException("SelfTraining.Options.threshold", "must be in [0, 1), got " + threshold);
            }
            if (criterion == Criterion.K_BEST && kBest < 1) {
                throw new InvalidOptionException("SelfTraining.Options.kBest", "must be at least 1, got " + kBest);
            }
            if (maxRounds < 0) {
                throw new InvalidOptionException("SelfTraining.Options.maxRounds", "must be >= 0, got " + maxRounds);
            }
        }

        /** Threshold T, 10 rounds, no balance. */
        public static Options threshold(double t) {
            return new Options(Criterion.THRESHOLD, t, 0, 10, false);
        }

        /** The k most confident rows per round, 10 rounds, no balance. */
        public static Options kBest(int k) {
            return new Options(Criterion.K_BEST, 0, k, 10, false);
        }

        /** Threshold 0.8 and 10 rounds: the article's example and scikit-learn's max_iter. */
        public static Options defaults() {
            return threshold(0.8);
        }

        public Options withMaxRounds(int rounds) {
            return new Options(criterion, threshold, kBest, rounds, balance);
        }

        public Options withBalance(boolean b) {
            return new Options(criterion, threshold, kBest, maxRounds, b);
        }

        public Options withCriterion(Criterion newCriterion) {
            return new Options(newCriterion, threshold, kBest, maxRounds, balance);
        }

        public Options withThreshold(double newThreshold) {
            return new Options(criterion, newThreshold, kBest, maxRounds, balance);
        }

        public Options withKBest(int newKBest) {
            return new Options(criterion, threshold, newKBest, maxRounds, balance);
        }
    }

    private SelfTraining() {
    }

    /**
     * @param labels the given labels of the rows of {@code x}, -1 unlabeled
     * @param validation held-out true labels (-1 elsewhere) to score every round's model on, or null
     */
    public static LabelingResult fit(Backend backend, FloatMatrix x, Labels labels, int[] validation,
                                     Classifier classifier, Options options) {
        Loop.State st = new Loop.State(backend, x, labels, validation, classifier);
        int c = labels.classCount();
        double[] prior = labels.classPriors();
        int labeled = labels.labeledCount();
        int unlabeled = x.rows() - labeled;
        StopReason stop = StopReason.MAX_ROUNDS;
        for (int r = 1; r <= options.maxRounds() && unlabeled > 0; r++) {
            long start = System.nanoTime();
            Prediction p = st.prediction();
            int[] accepted = select(p.distribution(), p.confidence(), st.column, c, prior, options);
            if (accepted.length == 0) {
                stop = StopReason.NO_NEW_LABELS;
                break;
            }
            int[] added = new int[c];
            for (int i : accepted) {
                st.column[i] = Prediction.argmax(p.distribution(), i, c);
                st.round[i] = r;
                added[st.column[i]]++;
            }
            unlabeled -= accepted.length;
            labeled += accepted.length;
            st.refit(r, null, added, labeled, accepted.length, 1f, start);
        }
        return st.result(unlabeled == 0 ? StopReason.ALL_LABELED : stop);
    }

    /** The unlabeled rows this round accepts, by the options' criterion and balance. */
    static int[] select(float[] dist, float[] confidence, int[] column, int c, double[] prior, Options options) {
        IntArrayList[] byClass = new IntArrayList[c];
        for (int q = 0; q < c; q++) {
            byClass[q] = new IntArrayList();
        }
        for (int i = 0; i < column.length; i++) {
            if (column[i] >= 0) {
                continue;
            }
            int best = Prediction.argmax(dist, i, c);
            boolean meets = options.criterion() == Criterion.K_BEST || confidence[i] > options.threshold();
            if (best >= 0 && meets) {
                byClass[best].add(i);
            }
        }
        // Most confident first; ties by row so runs repeat exactly.
        IntComparator byConfidence = (a, b) -> {
            int cmp = Float.compare(confidence[b], confidence[a]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        };
        int candidates = 0;
        for (IntArrayList list : byClass) {
            IntArrays.quickSort(list.elements(), 0, list.size(), byConfidence);
            candidates += list.size();
        }
        int want = options.criterion() == Criterion.K_BEST ? Math.min(options.kBest(), candidates) : candidates;
        IntArrayList chosen = new IntArrayList();
        if (!options.balance()) {
            for (IntArrayList list : byClass) {
                chosen.addAll(list);
            }
            IntArrays.quickSort(chosen.elements(), 0, chosen.size(), byConfidence);
            chosen.size(want);
        } else {
            double scale = want;
            for (int q = 0; q < c; q++) {
                if (prior[q] > 0) {
                    scale = Math.min(scale, Math.floor(byClass[q].size() / prior[q] + 1e-9));
                }
            }
            for (int q = 0; q < c; q++) {
                // The epsilon keeps floor(M' p_c) from losing a row to rounding when M' p_c is integral.
                int take = (int) Math.min(byClass[q].size(), Math.floor(scale * prior[q] + 1e-9));
                chosen.addAll(byClass[q].subList(0, take));
            }
        }
        int[] rows = chosen.toIntArray();
        Arrays.sort(rows);
        return rows;
    }

    /**
     * The documented bound on how far a class's share of the balanced pseudo-labels may drift from its share
     * of the given labels: {@code rounds * max(1, C p_c) / accepted}.
     */
    public static double balanceTolerance(int rounds, int classes, double prior, int accepted) {
        return accepted == 0 ? 0 : rounds * Math.max(1, classes * prior) / accepted;
    }
}
