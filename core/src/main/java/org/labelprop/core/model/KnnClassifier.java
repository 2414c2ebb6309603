package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.DataException;
import org.labelprop.core.search.Metric;

/**
 * k-nearest-neighbour classification on the engine's exact kNN search ({@link org.labelprop.core.search.KnnSearch}),
 * so it runs on whichever {@link Backend} it is given. Fitting only copies the training rows.
 */
public final class KnnClassifier implements Classifier {
    /** How the k neighbours' votes count. */
    public enum Vote {
        /** One vote each (times the row's training weight). */
        UNIFORM,
        /** 1 / distance each, as scikit-learn's weights='distance': neighbours at distance 0 outvote all others. */
        DISTANCE
    }

    public record Options(int k, Metric metric, Vote vote) {
        public Options {
            if (k < 1) {
                throw new InvalidOptionException("KnnClassifier.Options.k", "must be at least 1, got " + k);
            }
        }

        /** k = 10, euclidean, distance-weighted votes. */
        public static Options defaults() {
            return new Options(10, Metric.EUCLIDEAN, Vote.DISTANCE);
        }

        public Options withK(int newK) {
            return new Options(newK, metric, vote);
        }

        public Options withMetric(Metric newMetric) {
            return new Options(k, newMetric, vote);
        }

        public Options withVote(Vote newVote) {
            return new Options(k, metric, newVote);
        }
    }

    private final Options options;

    public KnnClassifier(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "knn";
    }

    @Override
    public KnnModel fit(Backend backend, TrainingSet data) {
        float[] weight = new float[data.size()];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = data.weight(i);
        }
        return new KnnModel(data.classes(), data.features().selectRows(data.rows()), data.target().clone(), weight,
                options);
    }
}
