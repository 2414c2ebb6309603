package org.labelprop.core.model;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.Inductive;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.search.KnnGraph;

/**
 * A propagation result kept for new rows: the training rows, their predicted distributions and the graph's
 * neighbour and weight settings, so that {@link Inductive}'s weighted vote of a new row's k nearest training
 * rows can run later, from a saved file ({@link ModelFile}), without propagating again.
 */
public final class InductiveModel implements Model {
    private final FloatMatrix train;
    private final Prediction known;
    private final KnnGraph.Options options;

    /**
     * @param train the features the graph was built from, in the same row order as {@code known}
     * @param known the training rows' predicted distributions (as written, e.g. after class priors)
     * @param options the graph's options; k, metric, weighting and sigma are used, as by {@link Inductive}
     */
    public InductiveModel(FloatMatrix train, Prediction known, KnnGraph.Options options) {
        if (train.rows() != known.rows()) {
            throw new IllegalArgumentException("InductiveModel: " + train.rows() + " rows, " + known.rows()
                    + " distributions");
        }
        this.train = train;
        this.known = known;
        this.options = options;
    }

    @Override
    public int[] classes() {
        return known.classes().clone();
    }

    @Override
    public int features() {
        return train.cols();
    }

    FloatMatrix train() {
        return train;
    }

    Prediction known() {
        return known;
    }

    KnnGraph.Options options() {
        return options;
    }

    @Override
    public float[] probabilities(Backend backend, FloatMatrix x) {
        return Inductive.predict(backend, train, known, x, options, Progress.NONE).distribution();
    }
}
