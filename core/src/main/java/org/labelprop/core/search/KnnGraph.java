package org.labelprop.core.search;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Memory;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.features.ImageBlur;
import org.labelprop.core.features.Pca;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.GraphBuilder;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;

/**
 * The one way from feature vectors to a k-nearest-neighbour graph: optional image blur and PCA, neighbour search (exact,
 * inverted file or NN-Descent), a recall estimate for approximate searches, then weights and
 * symmetrization. Every caller (the CLI, the benchmarks, the spreading classifier) builds graphs here.
 *
 * @param graph the weighted, symmetrized graph
 * @param neighbors each row's k nearest neighbours, in the metric's units (the row itself first when
 *     {@link Options#includeSelf()})
 * @param recall recall@k of the neighbour lists estimated on {@link Options#recallSample()} rows; 1 for exact
 *     search, NaN when an approximate search was not checked
 */
public record KnnGraph(CsrGraph graph, Neighbors neighbors, double recall) {
    /**
     * How the graph is built. Start from {@link #defaults()} or {@link #sklearn(int)} and change what you need
     * with the {@code with...} methods.
     *
     * @param k neighbours per row (the row itself counts among them when {@code includeSelf})
     * @param includeSelf whether each row is its own first neighbour (scikit-learn's knn kernel does this)
     * @param search how neighbours are found: {@link ExactSearch#INSTANCE}, an {@link InvertedFile}, a
     *     {@link NnDescent}
     * @param sigma bandwidth for {@link Weighting#GAUSSIAN}; ignored otherwise
     * @param blur smooth each row as an image before the search and the PCA (see {@link ImageBlur}); null: the
     *     features as given
     * @param pca project the features on their top {@code pca} principal components before the search (0: no
     *     projection), fitted on at most {@link #PCA_FIT_ROWS} rows drawn with the seed
     * @param whitening with {@code pca}, divide each principal coordinate by its variance to this power: 0
     *     keeps the projection, 0.5 whitens it fully, values between whiten partially (see
     *     {@link Pca#transform(Backend, FloatMatrix, double)}); needs {@code pca > 0}
     * @param recallSample rows checked against exact search to estimate an approximate search's recall (0:
     *     not estimated)
     * @param seed of the PCA's randomized SVD and of the recall sample
     */
    public record Options(int k, Metric metric, boolean includeSelf, NeighborSearch search, Weighting weighting,
                          float sigma, Symmetrization symmetrization, ImageBlur blur, int pca, float whitening,
                          int recallSample, long seed) {
        public Options {
            if (k < 1) {
                throw new InvalidOptionException("KnnGraph.Options.k", "must be at least 1, got " + k);
            }
            if (weighting == Weighting.GAUSSIAN && !(sigma > 0f && Float.isFinite(sigma))) {
                throw new InvalidOptionException("KnnGraph.Options.sigma",
                        "must be a positive number for gaussian weights, got " + sigma);
            }
            if (pca < 0) {
                throw new InvalidOptionException("KnnGraph.Options.pca", "must be >= 0 (0: no projection), got " + pca);
            }
            if (!(whitening >= 0f && whitening <= 0.5f)) {
                throw new InvalidOptionException("KnnGraph.Options.whitening",
                        "must be between 0 (plain PCA) and 0.5 (full whitening), got " + whitening);
            }
            if (recallSample < 0) {
                throw new InvalidOptionException("KnnGraph.Options.recallSample", "must be >= 0, got " + recallSample);
            }
            if (metric == null || search == null || weighting == null || symmetrization == null) {
                throw new IllegalArgumentException("metric, search, weighting and symmetrization must be given");
            }
        }

        /** k = 10, euclidean, exact search, self-tuning weights, average symmetrization, no self-loops, no PCA. */
        public static Options defaults() {
            return new Options(10, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Weighting.SELF_TUNING, 1f,
                    Symmetrization.AVERAGE, null, 0, 0f, 200, 42);
        }

        /** scikit-learn's kernel='knn': connectivity weights, each row among its own k neighbours, no symmetrization. */
        public static Options sklearn(int k) {
            return defaults().withK(k).withSelf(true).withWeights(Weighting.BINARY, 1f, Symmetrization.NONE);
        }

        public Options withK(int newK) {
            return new Options(newK, metric, includeSelf, search, weighting, sigma, symmetrization, blur, pca,
                    whitening, recallSample, seed);
        }

        public Options withMetric(Metric newMetric) {
            return new Options(k, newMetric, includeSelf, search, weighting, sigma, symmetrization, blur, pca,
                    whitening, recallSample, seed);
        }

        public Options withSelf(boolean newIncludeSelf) {
            return new Options(k, metric, newIncludeSelf, search, weighting, sigma, symmetrization, blur, pca,
                    whitening, recallSample, seed);
        }

        public Options withSearch(NeighborSearch newSearch) {
            return new Options(k, metric, includeSelf, newSearch, weighting, sigma, symmetrization, blur, pca,
                    whitening, recallSample, seed);
        }

        public Options withWeights(Weighting newWeighting, float newSigma, Symmetrization newSymmetrization) {
            return new Options(k, metric, includeSelf, search, newWeighting, newSigma, newSymmetrization, blur, pca,
                    whitening, recallSample, seed);
        }

        /** Blur the rows as images before the search and the PCA ({@code null}: no blur). */
        public Options withBlur(ImageBlur newBlur) {
            return new Options(k, metric, includeSelf, search, weighting, sigma, symmetrization, newBlur, pca,
                    whitening, recallSample, seed);
        }

        public Options withPca(int dims) {
            return new Options(k, metric, includeSelf, search, weighting, sigma, symmetrization, blur, dims, whitening,
                    recallSample, seed);
        }

        public Options withWhitening(float newWhitening) {
            return new Options(k, metric, includeSelf, search, weighting, sigma, symmetrization, blur, pca,
                    newWhitening, recallSample, seed);
        }

        public Options withRecallSample(int rows) {
            return new Options(k, metric, includeSelf, search, weighting, sigma, symmetrization, blur, pca, whitening,
                    rows, seed);
        }

        public Options withSeed(long newSeed) {
            return new Options(k, metric, includeSelf, search, weighting, sigma, symmetrization, blur, pca, whitening,
                    recallSample, newSeed);
        }

        public Options withWeighting(Weighting newWeighting) {
            return new Options(k, metric, includeSelf, search, newWeighting, sigma, symmetrization, blur, pca,
                    whitening, recallSample, seed);
        }

        public Options withSigma(float newSigma) {
            return new Options(k, metric, includeSelf, search, weighting, newSigma, symmetrization, blur, pca,
                    whitening, recallSample, seed);
        }

        public Options withSymmetrization(Symmetrization newSymmetrization) {
            return new Options(k, metric, includeSelf, search, weighting, sigma, newSymmetrization, blur, pca,
                    whitening, recallSample, seed);
        }
    }

    /**
     * The stage {@link #build} reports to its progress around the recall estimate, after the search's own
     * stage, so a caller can time the two apart.
     */
    public static final String RECALL_STAGE = "recall estimate";

    /**
     * Builds the graph of {@code x} as {@code options} say. When there are fewer rows than k + 1, each row
     * gets all the others. {@code progress} hears the search's stage and, when the recall is estimated,
     * {@link #RECALL_STAGE}.
     */
    public static KnnGraph build(Backend backend, FloatMatrix x, Options options, Progress progress) {
        x.requireDistanceScale("KnnGraph.build's features");
        // Up front, before a search that may take minutes: the neighbour lists (ids and distances), their
        // refined copy and the graph's edges, at least 24 bytes per row and neighbour whatever the method.
        long lists = (long) x.rows() * Math.min(options.k(), Math.max(x.rows() - 1, 0));
        Memory.require(24 * lists, "kNN graph of " + x.rows() + " rows with " + options.k() + " neighbours each");
        if (options.whitening() > 0 && options.pca() == 0) {
            throw new InvalidOptionException("KnnGraph.Options.whitening",
                    "needs a PCA projection (pca > 0) to whiten, got pca 0");
        }
        FloatMatrix smoothed = options.blur() == null ? x : options.blur().apply(backend.workers(), x);
        FloatMatrix searched = options.pca() == 0 ? smoothed
                : Pca.fit(backend, pcaFitRows(smoothed, options.seed()), options.pca(), options.seed())
                        .transform(backend, smoothed, options.whitening());
        Neighbors nb = KnnSearch.neighbors(backend, searched, options.k(), options.metric(), options.includeSelf(),
                options.search(), progress);
        return new KnnGraph(fromNeighbors(nb, options, backend.workers()), nb,
                recall(backend, searched, nb, options, progress));
    }

    /**
     * Rows the PCA is fitted on at most; all rows are then projected. The fit (a randomized SVD, about nine
     * passes over its rows) took 1.5-2.2 s on 16,384 rows of Fashion-MNIST against 7.1-8.3 s on all 70,000 (100
     * components), and the graphs of the two projections gave the same accuracies within 0.06 points at 1 and
     * 10 labels per class over 10 label draws (docs/benchmarks.md, "Sixth pass").
     */
    public static final int PCA_FIT_ROWS = 16_384;

    /** x itself, or {@link #PCA_FIT_ROWS} of its rows drawn with the seed, in row order. */
    static FloatMatrix pcaFitRows(FloatMatrix x, long seed) {
        if (x.rows() <= PCA_FIT_ROWS) {
            return x;
        }
        int[] rows = new java.util.SplittableRandom(seed).ints(0, x.rows()).distinct().limit(PCA_FIT_ROWS).sorted()
                .toArray();
        return x.selectRows(rows);
    }

    /**
     * The graph of neighbour lists (the search's, or found elsewhere): weights and symmetrization, their passes on
     * {@code pool} (null: this thread).
     */
    public static CsrGraph fromNeighbors(Neighbors nb, Options options, java.util.concurrent.ForkJoinPool pool) {
        return GraphBuilder.fromNeighbors(nb, options.weighting(), options.sigma(), options.symmetrization(), pool);
    }

    private static double recall(Backend backend, FloatMatrix x, Neighbors nb, Options options, Progress progress) {
        if (options.search().exact() || nb.k() == 0) {
            return 1.0;
        }
        if (options.recallSample() == 0) {
            return Double.NaN;
        }
        progress.start(RECALL_STAGE, 1);
        Neighbors others = options.includeSelf() ? KnnSearch.withoutSelf(nb) : nb;
        double recall = KnnSearch.recall(backend, x, others, options.metric(), options.recallSample(), options.seed());
        progress.finish();
        return recall;
    }
}
