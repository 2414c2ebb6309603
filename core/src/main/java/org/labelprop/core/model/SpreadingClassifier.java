package org.labelprop.core.model;

import java.util.Arrays;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Label;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;

/**
 * Label spreading as a base model, so graph and model techniques combine. The classifier holds a graph over
 * every row of one feature matrix, built once when it is created ({@link #build}) or given; it is fitted on
 * training sets over that matrix. {@link #fitAndPredict} spreads the training rows' labels over the graph and
 * answers every row from it; the model for new rows is an inductive classifier (logistic regression by
 * default) trained on the confident propagated labels, fitted by {@link Fit#modelForNewRows} or by
 * {@link #fit}, so new rows are classified without rebuilding the graph.
 *
 * <p>Spreading has no per-row weights: every training row with a weight above zero counts as labeled.
 */
public final class SpreadingClassifier implements Classifier {
    /**
     * @param minConfidence rows whose propagated confidence is below this are left out of the inductive
     *                      model's training set; in [0, 1)
     */
    public record Options(LabelSpreading.Options spreading, float minConfidence) {
        public Options {
            if (!(minConfidence >= 0f && minConfidence < 1f)) {
                throw new InvalidOptionException("SpreadingClassifier.Options.minConfidence",
                        "must be in [0, 1), got " + minConfidence);
            }
        }

        /** The engine's default spreading; every reached row trains the inductive model. */
        public static Options defaults() {
            return new Options(LabelSpreading.Options.defaults(), 0f);
        }

        public Options withSpreading(LabelSpreading.Options newSpreading) {
            return new Options(newSpreading, minConfidence);
        }

        public Options withMinConfidence(float newMinConfidence) {
            return new Options(spreading, newMinConfidence);
        }
    }

    private final CsrGraph graph;
    private final Options options;
    private final Classifier inductive;

    /**
     * @param graph a graph over the rows of the feature matrix the classifier will be fitted on, in their order
     * @param inductive fitted on the confident propagated labels when new rows must be classified
     */
    public SpreadingClassifier(CsrGraph graph, Options options, Classifier inductive) {
        this.graph = graph;
        this.options = options;
        this.inductive = inductive;
    }

    /** Builds the kNN graph of {@code features} ({@link KnnGraph#build}) and a classifier over it. */
    public static SpreadingClassifier build(Backend backend, FloatMatrix features, KnnGraph.Options graph,
                                            Options options, Classifier inductive) {
        return new SpreadingClassifier(KnnGraph.build(backend, features, graph, Progress.NONE).graph(), options,
                inductive);
    }

    @Override
    public String name() {
        return "spreading";
    }

    /** Spreads the labels, then fits the inductive model on the confident propagated labels. */
    @Override
    public Model fit(Backend backend, TrainingSet data) {
        return fitAndPredict(backend, data).modelForNewRows(backend);
    }

    /** Spreads the labels; every row of the graph is answered from it, no inductive model is fitted. */
    @Override
    public Fit fitAndPredict(Backend backend, TrainingSet data) {
        int n = data.features().rows();
        if (n != graph.rows()) {
            throw new DataException("the spreading classifier's graph has " + graph.rows()
                    + " rows but the training set's feature matrix " + n + "; build the classifier over that matrix");
        }
        int c = data.classCount();
        int[] raw = new int[n];
        Arrays.fill(raw, Label.UNLABELED);
        for (int i = 0; i < data.size(); i++) {
            if (data.weight(i) > 0f) {
                raw[data.rows()[i]] = data.target()[i];
            }
        }
        PropagationResult r = LabelSpreading.fit(backend, graph, Labels.of(raw, "training rows"),
                options.spreading(), Progress.NONE);
        // The propagation only knows the columns that have a training row; widen to all of the data's classes.
        Prediction spread = r.prediction();
        float[] dist = new float[FloatMatrix.checkSize(n, c, "distribution")];
        int[] present = spread.classes();
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < present.length; q++) {
                dist[i * c + present[q]] = spread.probability(i, q);
            }
        }
        return new SpreadingFit(data, Prediction.of(data.classes(), dist), options.minConfidence(), inductive);
    }
}
