package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.graph.Neighbors;

/** A fitted kNN classifier: its training rows, their class columns and weights. */
public final class KnnModel implements Model {
    private final int[] classes;
    private final FloatMatrix train;
    private final int[] target;
    private final float[] weight;
    private final KnnClassifier.Options options;

    KnnModel(int[] classes, FloatMatrix train, int[] target, float[] weight, KnnClassifier.Options options) {
        if (train.rows() != target.length || target.length != weight.length) {
            throw new IllegalArgumentException("KnnModel: " + train.rows() + " rows, " + target.length
                    + " targets, " + weight.length + " weights");
        }
        this.classes = classes.clone();
        this.train = train;
        this.target = target;
        this.weight = weight;
        this.options = options;
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    @Override
    public int features() {
        return train.cols();
    }

    public KnnClassifier.Options options() {
        return options;
    }

    FloatMatrix train() {
        return train;
    }

    int[] target() {
        return target;
    }

    float[] weight() {
        return weight;
    }

    @Override
    public float[] probabilities(Backend backend, FloatMatrix x) {
        int c = classes.length;
        float[] out = new float[FloatMatrix.checkSize(x.rows(), c, "probabilities")];
        if (train.rows() == 0) {
            return out;
        }
        Neighbors nb = KnnSearch.query(backend, train, x, options.k(), options.metric(), Progress.NONE);
        double[] vote = new double[c];
        for (int i = 0; i < x.rows(); i++) {
            java.util.Arrays.fill(vote, 0);
            boolean exact = options.vote() == KnnClassifier.Vote.DISTANCE && nb.k() > 0 && nb.distance(i, 0) == 0f;
            double sum = 0;
            for (int j = 0; j < nb.k(); j++) {
                float dist = nb.distance(i, j);
                if (exact && dist > 0f) {
                    break;
                }
                double w = options.vote() == KnnClassifier.Vote.UNIFORM || exact ? 1 : 1 / (double) dist;
                int t = nb.neighbor(i, j);
                w *= weight[t];
                vote[target[t]] += w;
                sum += w;
            }
            if (sum > 0) {
                for (int q = 0; q < c; q++) {
                    out[i * c + q] = (float) (vote[q] / sum);
                }
            }
        }
        return out;
    }
}
