package org.labelprop.core.algo;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.graph.Neighbors;

/**
 * Labels rows that were not in the graph without rebuilding it: each new row takes the weighted average
 * of its k nearest training rows' propagated distributions, weighted as the graph's edges are (Delalleau,
 * Bengio and Le Roux's induction formula for graph-based methods).
 */
public final class Inductive {
    private Inductive() {
    }

    /**
     * @param train the features the graph was built from, in the same row order as {@code fitted}
     * @param options the graph's options: k, metric, weighting and sigma are used (not the blur or the PCA:
     *     {@code train} and {@code newRows} are searched as given)
     */
    public static Prediction predict(Backend backend, FloatMatrix train, PropagationResult fitted,
                                     FloatMatrix newRows, KnnGraph.Options options, Progress progress) {
        return predict(backend, train, fitted.prediction(), newRows, options, progress);
    }

    /**
     * As above, from the training rows' distributions alone (e.g. after class priors, or read from a saved
     * model: {@code model.InductiveModel}).
     *
     * @param known the training rows' predicted distributions, in the same row order as {@code train}
     */
    public static Prediction predict(Backend backend, FloatMatrix train, Prediction known,
                                     FloatMatrix newRows, KnnGraph.Options options, Progress progress) {
        if (train.rows() != known.rows()) {
            throw new IllegalArgumentException("fitted on " + known.rows() + " rows, given " + train.rows());
        }
        Neighbors nb = KnnSearch.query(backend, train, newRows, options.k(), options.metric(), progress);
        int c = known.classCount();
        int k = nb.k();
        float[] dist = new float[FloatMatrix.checkSize(newRows.rows(), c, "prediction")];
        for (int i = 0; i < newRows.rows(); i++) {
            float dk = k == 0 ? 0f : nb.distance(i, k - 1);
            double[] acc = new double[c];
            double total = 0;
            for (int j = 0; j < k; j++) {
                double w = options.weighting().weight(nb.distance(i, j), dk, options.sigma());
                int t = nb.neighbor(i, j);
                for (int q = 0; q < c; q++) {
                    acc[q] += w * known.probability(t, q);
                    total += w * known.probability(t, q);
                }
            }
            for (int q = 0; q < c; q++) {
                dist[i * c + q] = total > 0 ? (float) (acc[q] / total) : 0f;
            }
        }
        return Prediction.of(known.classes(), dist);
    }
}
