package org.labelprop.core.model;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.graph.CsrGraph;

/**
 * Correct and Smooth (Huang et al., ICLR 2021) around any {@link Classifier}: the base model predicts Z for
 * every graph row; its errors on the labeled rows, E = Y - Z there and 0 elsewhere, are spread over the graph
 * (the residuals of neighbours are alike), scaled row by row to the labeled rows' mean error size
 * ("autoscale") and added to Z on the unlabeled rows; then the corrected scores, with the labeled rows reset
 * to their labels, are spread once more. Both spreads are {@link LabelSpreading#spread}. The result is the
 * smoothed scores clipped at 0 and normalized per row.
 */
public final class CorrectAndSmooth {
    private CorrectAndSmooth() {
    }

    /** @param correctAlpha, smoothAlpha spreading's alpha in (0, 1) for each phase; steps per phase */
    public record Options(float correctAlpha, float smoothAlpha, int steps) {
        public Options {
            if (!(correctAlpha > 0f && correctAlpha < 1f)) {
                throw new InvalidOptionException("CorrectAndSmooth.Options.correctAlpha",
                        "must be in (0, 1), got " + correctAlpha);
            }
            if (!(smoothAlpha > 0f && smoothAlpha < 1f)) {
                throw new InvalidOptionException("CorrectAndSmooth.Options.smoothAlpha",
                        "must be in (0, 1), got " + smoothAlpha);
            }
            if (steps < 1) {
                throw new InvalidOptionException("CorrectAndSmooth.Options.steps", "must be >= 1, got " + steps);
            }
        }

        /** The paper's usual range: alpha 0.8 for both phases, 50 steps each. */
        public static Options defaults() {
            return new Options(0.8f, 0.8f, 50);
        }

        public Options withCorrectAlpha(float newCorrectAlpha) {
            return new Options(newCorrectAlpha, smoothAlpha, steps);
        }

        public Options withSmoothAlpha(float newSmoothAlpha) {
            return new Options(correctAlpha, newSmoothAlpha, steps);
        }

        public Options withSteps(int newSteps) {
            return new Options(correctAlpha, smoothAlpha, newSteps);
        }
    }

    /** Fits {@code base} on the labeled rows of {@code x} (the graph's rows), then corrects and smooths. */
    public static Prediction fit(Backend backend, CsrGraph graph, FloatMatrix x, Labels labels, Classifier base,
                                 Options options, Progress progress) {
        Prediction z = base.fitAndPredict(backend, TrainingSet.of(x, labels)).prediction();
        return apply(backend, graph, labels, z, options, progress);
    }

    /** Corrects and smooths a base prediction of every graph row, whose classes are the labels' classes. */
    public static Prediction apply(Backend backend, CsrGraph graph, Labels labels, Prediction base, Options options,
                                   Progress progress) {
        int n = labels.rows();
        int c = labels.classCount();
        if (base.rows() != n || !java.util.Arrays.equals(base.classes(), labels.classes())) {
            throw new IllegalArgumentException("the base prediction has " + base.rows() + " rows and classes "
                    + java.util.Arrays.toString(base.classes()) + "; the labels " + n + " and "
                    + java.util.Arrays.toString(labels.classes()));
        }
        float[] z = base.distribution();
        float[] y = labels.oneHot();
        float[] error = new float[n * c];
        double meanError = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; labels.isLabeled(i) && k < c; k++) {
                error[i * c + k] = y[i * c + k] - z[i * c + k];
                meanError += Math.abs(error[i * c + k]) / labels.labeledCount();
            }
        }
        float[] spreadError = LabelSpreading.spread(backend, graph, error, c, options.correctAlpha(), options.steps(),
                progress);
        float[] g = new float[n * c];
        for (int i = 0; i < n; i++) {
            double size = 0;
            for (int k = 0; k < c; k++) {
                size += Math.abs(spreadError[i * c + k]);
            }
            double scale = size > 0 ? meanError / size : 0;
            for (int k = 0; k < c; k++) {
                int o = i * c + k;
                g[o] = labels.isLabeled(i) ? y[o] : (float) (z[o] + scale * spreadError[o]);
            }
        }
        float[] smooth = LabelSpreading.spread(backend, graph, g, c, options.smoothAlpha(), options.steps(), progress);
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                smooth[i * c + k] = Math.max(smooth[i * c + k], 0f);
                sum += smooth[i * c + k];
            }
            for (int k = 0; sum > 0 && k < c; k++) {
                smooth[i * c + k] = (float) (smooth[i * c + k] / sum);
            }
        }
        return Prediction.of(labels.classes(), smooth);
    }
}
