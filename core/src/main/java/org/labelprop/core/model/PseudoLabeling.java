package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.algo.Labels;

/**
 * Pseudo-labeling (Lee 2013): fit on the labeled rows, give every unlabeled row the model's predicted label,
 * refit on all rows with the pseudo-labeled ones weighted down, and repeat. Unlike {@link SelfTraining} no
 * confidence filter applies: every row the model votes on takes part, with a weight that may ramp up over
 * the rounds as the model improves (Lee's alpha(t)).
 */
public final class PseudoLabeling {
    /**
     * @param rounds refits on pseudo-labels, >= 1
     * @param weight the pseudo-labeled rows' weight at full strength, > 0 (labeled rows weigh 1)
     * @param rampRounds 0: full weight from round 1; otherwise the weight grows linearly, reaching full at
     *                   this round (round r weighs weight * min(1, r / rampRounds))
     * @param repredict re-predict the pseudo-labels with each round's model; false keeps the first round's
     */
    public record Options(int rounds, float weight, int rampRounds, boolean repredict) {
        public Options {
            if (rounds < 1) {
                throw new InvalidOptionException("PseudoLabeling.Options.rounds", "must be at least 1, got " + rounds);
            }
            if (!(weight > 0f && Float.isFinite(weight))) {
                throw new InvalidOptionException("PseudoLabeling.Options.weight", "must be a positive number, got " + weight);
            }
            if (rampRounds < 0) {
                throw new InvalidOptionException("PseudoLabeling.Options.rampRounds", "must be >= 0, got " + rampRounds);
            }
        }

        /** 5 rounds, pseudo-labels weigh 1 from the start and are re-predicted each round. */
        public static Options defaults() {
            return new Options(5, 1f, 0, true);
        }

        /** The pseudo-labeled rows' weight in round r (1-based). */
        public float weightAt(int r) {
            return rampRounds == 0 ? weight : weight * Math.min(1f, (float) r / rampRounds);
        }

        public Options withRounds(int newRounds) {
            return new Options(newRounds, weight, rampRounds, repredict);
        }

        public Options withWeight(float newWeight) {
            return new Options(rounds, newWeight, rampRounds, repredict);
        }

        public Options withRampRounds(int newRampRounds) {
            return new Options(rounds, weight, newRampRounds, repredict);
        }

        public Options withRepredict(boolean newRepredict) {
            return new Options(rounds, weight, rampRounds, newRepredict);
        }
    }

    private PseudoLabeling() {
    }

    /**
     * @param labels the given labels of the rows of {@code x}, -1 unlabeled
     * @param validation held-out true labels (-1 elsewhere) to score every round's model on, or null
     */
    public static LabelingResult fit(Backend backend, FloatMatrix x, Labels labels, int[] validation,
                                     Classifier classifier, Options options) {
        Loop.State st = new Loop.State(backend, x, labels, validation, classifier);
        int n = x.rows();
        int c = labels.classCount();
        StopReason stop = StopReason.MAX_ROUNDS;
        float[] rowWeight = new float[n];
        float previousWeight = Float.NaN;
        for (int r = 1; r <= options.rounds(); r++) {
            long start = System.nanoTime();
            int changed = 0;
            if (r == 1 || options.repredict()) {
                float[] dist = st.prediction().distribution();
                for (int i = 0; i < n; i++) {
                    if (labels.isLabeled(i)) {
                        continue;
                    }
                    int best = Prediction.argmax(dist, i, c);
                    if (best != st.column[i]) {
                        st.column[i] = best;
                        st.round[i] = best < 0 ? -1 : r;
                        changed++;
                    }
                }
            }
            float w = options.weightAt(r);
            if (r > 1 && changed == 0 && w == previousWeight) {
                stop = StopReason.LABELS_STABLE;
                break;
            }
            int[] perClass = new int[c];
            int used = 0;
            for (int i = 0; i < n; i++) {
                rowWeight[i] = labels.isLabeled(i) ? 1f : w;
                if (st.column[i] >= 0) {
                    used++;
                    if (!labels.isLabeled(i)) {
                        perClass[st.column[i]]++;
                    }
                }
            }
            st.refit(r, rowWeight, perClass, used, changed, w, start);
            previousWeight = w;
        }
        return st.result(stop);
    }
}
