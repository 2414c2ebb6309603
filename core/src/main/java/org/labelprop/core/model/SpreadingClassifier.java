package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import org.labelprop.core.InvalidOptionException;
import java.util.Arrays;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;

/**
 * Label spreading as a base model, so graph and model techniques combine. Fitting builds the kNN graph over
 * every row of the feature matrix (once per matrix: later fits on the same matrix reuse it), spreads the
 * training rows' labels over it, and returns a {@link SpreadingModel}: rows of that matrix get their
 * propagated distributions; new rows go to an inductive model (logistic regression by default) trained on
 * the confident propagated labels, so they are classified without rebuilding the graph.
 *
 * <p>Spreading has no per-row weights: every training row with a weight above zero counts as labeled.
 */
public final class SpreadingClassifier implements Classifier {
    /**
     * @param minConfidence rows whose propagated confidence is below this are left out of the inductive
     *                      model's training set; in [0, 1)
     */
    public record Options(KnnGraph.Options graph, LabelSpreading.Options spreading, float minConfidence) {
        public Options {
            if (!(minConfidence >= 0f && minConfidence < 1f)) {
                throw new InvalidOptionException("SpreadingClassifier.Options.minConfidence", "must be in [0, 1), got " + minConfidence);
            }
        }

        /** The engine's default graph and spreading; every reached row trains the inductive model. */
        public static Options defaults() {
            return new Options(KnnGraph.Options.defaults(), LabelSpreading.Options.defaults(), 0f);
        }
    }

    private final Options options;
    private final Classifier inductive;
    private FloatMatrix graphFeatures;
    private CsrGraph graph;

    /**
     * @param inductive fitted on the confident propagated labels when new rows must be classified
     */
    public SpreadingClassifier(Options options, Classifier inductive) {
        this.options = options;
        this.inductive = inductive;
    }

    /** Uses a graph already built over {@code features} (same row order) instead of building one. */
    public synchronized SpreadingClassifier withGraph(FloatMatrix features, CsrGraph g) {
        if (g.rows() != features.rows()) {
            throw new DataException("the graph has " + g.rows() + " rows but the features " + features.rows());
        }
        graphFeatures = features;
        graph = g;
        return this;
    }

    @Override
    public String name() {
        return "spreading";
    }

    private synchronized CsrGraph graphFor(FloatMatrix features, Backend compute) {
        if (graphFeatures != features) {
            graph = KnnGraph.build(compute, features, options.graph(), Progress.NONE).graph();
            graphFeatures = features;
        }
        return graph;
    }

    @Override
    public SpreadingModel fit(TrainingSet data, Backend compute) {
        FloatMatrix x = data.features();
        CsrGraph g = graphFor(x, compute);
        int n = x.rows();
        int c = data.classCount();
        int[] raw = new int[n];
        Arrays.fill(raw, Labels.UNLABELED);
        for (int i = 0; i < data.size(); i++) {
            if (data.weight(i) > 0f) {
                raw[data.rows()[i]] = data.target()[i];
            }
        }
        PropagationResult r = LabelSpreading.fit(compute, g, Labels.of(raw, "training rows"),
                options.spreading(), Progress.NONE);
        // The propagation only knows the columns that have a training row; widen to all of the data's classes.
        float[] dist = new float[FloatMatrix.checkSize(n, c, "distribution")];
        int[] present = r.classes();
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < present.length; q++) {
                dist[i * c + present[q]] = r.probability(i, q);
            }
        }
        return new SpreadingModel(data, dist, options.minConfidence(), inductive);
    }
}
