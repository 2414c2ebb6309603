package org.labelprop.core.search;

import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Parallel;
import org.labelprop.core.Progress;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.RowKernels;
import org.labelprop.core.backend.PickedRows;
import org.labelprop.core.backend.TwoWayNeighbors;

/**
 * k-nearest-neighbour search on any backend and by any {@link NeighborSearch} method, with what they all
 * share: the metric (cosine is euclidean between unit vectors), self-inclusion, and a refinement that
 * recomputes the chosen neighbours' distances exactly in double and re-sorts them, so fast kernels may use
 * the cancellation-prone |x|^2 - 2 x.y + |y|^2 form for selection without its rounding reaching the
 * weights. Also: neighbours of new rows among the training rows ({@link #query}) and the recall of an
 * approximate search ({@link #recall}). Graphs are built from these lists by {@link KnnGraph}.
 */
public final class KnnSearch {
    private KnnSearch() {
    }

    /**
     * The k nearest neighbours of every row among all rows, found by {@code method} and measured in
     * {@code metric}, with exact distances in the metric's units. When fewer rows exist than k asks for,
     * each row gets all the others: the returned {@link Neighbors#k()} is then smaller than {@code k}. An
     * approximate method falls back to exact search when there are too few rows for it to pay.
     *
     * @param includeSelf whether each row is its own first neighbour (counted among the k)
     */
    public static Neighbors neighbors(Backend backend, FloatMatrix x, int k, Metric metric, boolean includeSelf,
                                      NeighborSearch method, Progress progress) {
        int n = x.rows();
        int others = Math.min(includeSelf ? k - 1 : k, Math.max(n - 1, 0));
        if (others == 0) {
            return withSelf(new Neighbors(n, 0, new int[0], new float[0]), includeSelf);
        }
        NeighborSearch search = !method.exact() && n <= 4L * (others + 1) * (others + 1) ? ExactSearch.INSTANCE : method;
        FloatMatrix data = prepare(x, metric);
        int pool = Math.min(search.pool(others), n - 1);
        NeighborSearch.Found found = search.searchInOrder(backend, data, pool, progress);
        Neighbors nb = found.neighbors();
        Neighbors refined = refine(backend, data, data, pool == others ? nb : slice(nb, 0, others), metric,
                found.rowOrder());
        return withSelf(refined, includeSelf);
    }

    /**
     * Recall@k of {@code approx} (neighbours of every row of x, self excluded) on {@code sample} rows drawn
     * with the seed: the share of their exact k nearest neighbours that the approximate lists hold.
     */
    public static double recall(Backend backend, FloatMatrix x, Neighbors approx, Metric metric, int sample,
                                long seed) {
        int n = x.rows();
        int k = approx.k();
        int m = Math.min(sample, n);
        int[] rows = new java.util.SplittableRandom(seed).ints(0, n).distinct().limit(m).sorted().toArray();
        FloatMatrix data = prepare(x, metric);
        // One more than k, since each sampled row finds itself among the base rows.
        Neighbors exact = backend.nearest(data, data.selectRows(rows), Math.min(k + 1, n), false, Progress.NONE);
        long hit = 0;
        for (int q = 0; q < m; q++) {
            int self = rows[q];
            java.util.Set<Integer> truth = new java.util.HashSet<>();
            for (int j = 0; j < exact.k() && truth.size() < k; j++) {
                if (exact.neighbor(q, j) != self) {
                    truth.add(exact.neighbor(q, j));
                }
            }
            for (int j = 0; j < k; j++) {
                if (truth.contains(approx.neighbor(self, j))) {
                    hit++;
                }
            }
        }
        return (double) hit / ((long) m * k);
    }

    /** The {@code k} nearest rows of {@code base} for each row of {@code queries} (inductive prediction). */
    public static Neighbors query(Backend backend, FloatMatrix base, FloatMatrix queries, int k, Metric metric,
                                  Progress progress) {
        if (queries.cols() != base.cols()) {
            throw new DataException("new rows have " + queries.cols() + " features, the training rows "
                    + base.cols());
        }
        int kk = Math.min(k, base.rows());
        FloatMatrix b = prepare(base, metric);
        FloatMatrix q = prepare(queries, metric);
        return refine(backend, b, q, backend.nearest(b, q, kk, false, progress), metric, null);
    }

    /**
     * {@link #query} both ways from one search ({@link Backend#nearestBothWays}): each query's {@code k} nearest
     * base rows, and each base row's {@code k} nearest queries (as query rows), exact distances on both sides.
     * A distributed inverted file searches each list this way, so that the list's members also hear the rows
     * that probed it.
     */
    public static TwoWayNeighbors queryBothWays(Backend backend, FloatMatrix base, FloatMatrix queries, int k,
                                                Metric metric) {
        if (queries.cols() != base.cols()) {
            throw new DataException("new rows have " + queries.cols() + " features, the training rows "
                    + base.cols());
        }
        FloatMatrix b = prepare(base, metric);
        FloatMatrix q = prepare(queries, metric);
        TwoWayNeighbors found = backend.nearestBothWays(PickedRows.all(b), PickedRows.all(q), k, null, null);
        return new TwoWayNeighbors(refine(backend, b, q, found.ofQueries(), metric, null),
                refine(backend, q, b, found.ofBase(), metric, null));
    }

    /** Euclidean: the data as is. Cosine: rows scaled to unit length (zero rows cannot be compared). */
    static FloatMatrix prepare(FloatMatrix x, Metric metric) {
        if (metric == Metric.EUCLIDEAN) {
            return x;
        }
        int d = x.cols();
        float[] src = x.data();
        float[] out = new float[src.length];
        for (int i = 0; i < x.rows(); i++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += (double) src[i * d + c] * src[i * d + c];
            }
            if (s == 0) {
                throw new DataException("row " + (i + 1) + " is all zeros: cosine distance is undefined for it; "
                        + "use the euclidean metric or drop the row");
            }
            float inv = (float) (1.0 / Math.sqrt(s));
            for (int c = 0; c < d; c++) {
                out[i * d + c] = src[i * d + c] * inv;
            }
        }
        return new FloatMatrix(x.rows(), d, out);
    }

    /**
     * Exact distances of the chosen pairs, in the metric's units, re-sorted by (distance, index); the rows taken
     * in {@code rowOrder} where given (see {@link NeighborSearch#searchInOrder}), which changes no result.
     */
    private static Neighbors refine(Backend backend, FloatMatrix base, FloatMatrix queries, Neighbors nb,
                                    Metric metric, int[] rowOrder) {
        int k = nb.k();
        int d = queries.cols();
        int[] index = nb.index().clone();
        float[] dist = new float[index.length];
        RowKernels kernels = backend.rowKernels((long) nb.rows() * k * d);
        Parallel.forRanges(backend.workers(), nb.rows(), REFINE_ROWS, (from, to) -> {
            double[] d2 = new double[k];
            for (int p = from; p < to; p++) {
                int i = rowOrder == null ? p : rowOrder[p];
                int o = i * k;
                kernels.exactSquaredDistances(queries.data(), i * d, base.data(), index, o, k, d, d2);
                for (int j = 0; j < k; j++) {
                    dist[o + j] = (float) (metric == Metric.COSINE ? d2[j] / 2 : Math.sqrt(d2[j]));
                }
                Neighbors.sort(index, dist, o, o + k);
            }
        });
        return new Neighbors(nb.rows(), k, index, dist);
    }

    /** Rows per task of the re-measure: each row is independent, so any split gives the same result. */
    private static final int REFINE_ROWS = 256;

    /** Entries [skip, skip + k) of every row of a sorted neighbour list. */
    private static Neighbors slice(Neighbors nb, int skip, int k) {
        int[] index = new int[FloatMatrix.checkSize(nb.rows(), k, "neighbour list")];
        float[] dist = new float[index.length];
        for (int i = 0; i < nb.rows(); i++) {
            System.arraycopy(nb.index(), i * nb.k() + skip, index, i * k, k);
            System.arraycopy(nb.distance(), i * nb.k() + skip, dist, i * k, k);
        }
        return new Neighbors(nb.rows(), k, index, dist);
    }

    /** Drops the leading self entry that an include-self search puts first in every row. */
    public static Neighbors withoutSelf(Neighbors nb) {
        return slice(nb, 1, nb.k() - 1);
    }

    private static Neighbors withSelf(Neighbors nb, boolean includeSelf) {
        return includeSelf ? prependSelf(nb) : nb;
    }

    private static Neighbors prependSelf(Neighbors nb) {
        int n = nb.rows();
        int k = nb.k() + 1;
        int[] index = new int[FloatMatrix.checkSize(n, k, "neighbour list")];
        float[] dist = new float[index.length];
        for (int i = 0; i < n; i++) {
            index[i * k] = i;
            System.arraycopy(nb.index(), i * nb.k(), index, i * k + 1, nb.k());
            System.arraycopy(nb.distance(), i * nb.k(), dist, i * k + 1, nb.k());
        }
        return new Neighbors(n, k, index, dist);
    }
}
