package org.labelprop.cli;

import com.google.gson.JsonObject;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.Metric;
import org.labelprop.core.model.Classifier;
import org.labelprop.core.model.KnnClassifier;
import org.labelprop.core.model.LogisticRegression;
import org.labelprop.core.model.SpreadingClassifier;
import picocli.CommandLine.Option;

/** The base model of {@code self-train} and {@code pseudo-label} and its settings. A picocli mixin. */
final class ModelOptions {
    /** The built-in base models. */
    enum Kind {
        LOGISTIC,
        KNN,
        SPREADING
    }

    static final class KindChoice extends Choice<Kind> {
        KindChoice() {
            super(Kind.class);
        }
    }

    static final class VoteChoice extends Choice<KnnClassifier.Vote> {
        VoteChoice() {
            super(KnnClassifier.Vote.class);
        }
    }

    @Option(names = "--model", defaultValue = "logistic", converter = KindChoice.class,
            description = "Base model: logistic, knn or spreading (label spreading over a kNN graph of all rows, "
                    + "then logistic regression on its confident labels for new rows) (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(names = "--l2", defaultValue = "1", description = "Logistic regression's L2 penalty, scikit-learn's 1/C (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--max-iter", defaultValue = "100", description = "Logistic regression's L-BFGS iteration limit (default: ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(names = "--tol", defaultValue = "1e-5", description = "Logistic regression stops when no gradient component of the weight-averaged loss exceeds this (default: ${DEFAULT-VALUE}).")
    double tol;

    @Option(names = "--standardize", description = "Scale features to zero mean and unit variance before logistic regression.")
    boolean standardize;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours for knn votes and for the spreading graph (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--metric", defaultValue = "euclidean", converter = Choice.MetricChoice.class,
            description = "euclidean or cosine, for knn and spreading (default: ${DEFAULT-VALUE}).")
    Metric metric;

    @Option(names = "--vote", defaultValue = "distance", converter = VoteChoice.class,
            description = "knn votes: distance (1/d) or uniform (default: ${DEFAULT-VALUE}).")
    KnnClassifier.Vote vote;

    @Option(names = "--min-confidence", defaultValue = "0",
            description = "spreading: propagated labels below this confidence do not train the model for new rows (default: ${DEFAULT-VALUE}).")
    float minConfidence;

    /** The options used, for --json: the loop's and the model's kind. */
    JsonObject json(Record loop) {
        JsonObject o = new JsonObject();
        o.addProperty("model", Choice.spell(kind));
        o.add("loop", JsonSummary.options(loop));
        return o;
    }

    /** The chosen model; spreading builds its graph over {@code x} here, once for the whole loop. */
    Classifier classifier(Backend backend, FloatMatrix x) {
        LogisticRegression logistic = new LogisticRegression(new LogisticRegression.Options(l2, tol, maxIter, standardize));
        switch (kind) {
            case LOGISTIC:
                return logistic;
            case KNN:
                return new KnnClassifier(new KnnClassifier.Options(k, metric, vote));
            case SPREADING:
                KnnGraph.Options graph = KnnGraph.Options.defaults().withK(k).withMetric(metric);
                SpreadingClassifier.Options spreading = new SpreadingClassifier.Options(
                        SpreadingClassifier.Options.defaults().spreading(), minConfidence);
                return SpreadingClassifier.build(backend, x, graph, spreading, logistic);
            default:
                throw new AssertionError(kind);
        }
    }
}
