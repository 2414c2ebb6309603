package org.labelprop.core.graph;

import org.labelprop.core.InvalidOptionException;

/**
 * How the kNN graph is built.
 *
 * @param k neighbours per row (the row itself counts among them when {@code includeSelf})
 * @param sigma bandwidth for {@link Weighting#GAUSSIAN}; ignored otherwise
 * @param includeSelf whether each row is its own first neighbour (scikit-learn's knn kernel does this)
 */
public record KnnOptions(int k, Metric metric, Weighting weighting, float sigma, Symmetrization symmetrization,
                         boolean includeSelf) {
    public KnnOptions {
        if (k < 1) {
            throw new InvalidOptionException("--k must be at least 1, got " + k);
        }
        if (weighting == Weighting.GAUSSIAN && !(sigma > 0f && Float.isFinite(sigma))) {
            throw new InvalidOptionException("--sigma must be a positive number for gaussian weights, got " + sigma);
        }
    }

    /** k = 10, euclidean, self-tuning weights, average symmetrization, no self-loops. */
    public static KnnOptions defaults() {
        return new KnnOptions(10, Metric.EUCLIDEAN, Weighting.SELF_TUNING, 1f, Symmetrization.AVERAGE, false);
    }

    /** scikit-learn's kernel='knn': connectivity weights, each row among its own k neighbours, no symmetrization. */
    public static KnnOptions sklearn(int k) {
        return new KnnOptions(k, Metric.EUCLIDEAN, Weighting.BINARY, 1f, Symmetrization.NONE, true);
    }

    public KnnOptions withK(int newK) {
        return new KnnOptions(newK, metric, weighting, sigma, symmetrization, includeSelf);
    }

    public KnnOptions withMetric(Metric newMetric) {
        return new KnnOptions(k, newMetric, weighting, sigma, symmetrization, includeSelf);
    }
}
