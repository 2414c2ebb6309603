package org.labelprop.core.graph;

import java.util.stream.IntStream;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.ReferenceBackend;

/**
 * Exact k-nearest-neighbour search on any backend, with what every backend shares: the metric (cosine is
 * euclidean between unit vectors), self-inclusion, and a refinement that recomputes the chosen
 * neighbours' distances exactly in double and re-sorts them, so fast kernels may use the cancellation-prone
 * |x|^2 - 2 x.y + |y|^2 form for selection without its rounding reaching the weights.
 */
public final class KnnSearch {
    private KnnSearch() {
    }

    /**
     * The neighbours of every row among all rows. When fewer rows exist than k asks for, each row gets all
     * the others: the returned {@link Neighbors#k()} is then smaller than {@code k}.
     */
    public static Neighbors allRows(Backend backend, FloatMatrix x, int k, Metric metric, boolean includeSelf,
                                    Progress progress) {
        int n = x.rows();
        FloatMatrix data = prepare(x, metric);
        int others = Math.min(includeSelf ? k - 1 : k, Math.max(n - 1, 0));
        Neighbors found = others == 0 ? new Neighbors(n, 0, new int[0], new float[0])
                : backend.nearest(data, data, others, true, progress);
        Neighbors refined = refine(backend, data, data, found, metric);
        return includeSelf ? prependSelf(refined) : refined;
    }

    /**
     * Like {@link #allRows} but approximate, by {@code method} ({@link NnDescent.Options} or
     * {@link InvertedFile.Options}): the chosen neighbours' distances are still exact. Falls back to the
     * exact search when there are too few rows for an approximate method to pay.
     */
    public static Neighbors approximate(Backend backend, FloatMatrix x, int k, Metric metric, boolean includeSelf,
                                        ApproximateSearch method, Progress progress) {
        int n = x.rows();
        int others = Math.min(includeSelf ? k - 1 : k, Math.max(n - 1, 0));
        if (n <= 4L * (others + 1) * (others + 1) || others == 0) {
            return allRows(backend, x, k, metric, includeSelf, progress);
        }
        FloatMatrix data = prepare(x, metric);
        int pool = Math.min(method.pool(others), n - 1);
        Neighbors found = method.search(backend, data, pool, progress);
        Neighbors refined = refine(backend, data, data, pool == others ? found : slice(found, 0, others), metric);
        return includeSelf ? prependSelf(refined) : refined;
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
        return refine(backend, b, q, backend.nearest(b, q, kk, false, progress), metric);
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
                        + "use --metric euclidean or drop the row");
            }
            float inv = (float) (1.0 / Math.sqrt(s));
            for (int c = 0; c < d; c++) {
                out[i * d + c] = src[i * d + c] * inv;
            }
        }
        return new FloatMatrix(x.rows(), d, out);
    }

    /** Exact distances of the chosen pairs, in the metric's units, re-sorted by (distance, index). */
    private static Neighbors refine(Backend backend, FloatMatrix base, FloatMatrix queries, Neighbors nb,
                                    Metric metric) {
        int k = nb.k();
        int[] index = nb.index().clone();
        float[] dist = new float[index.length];
        backend.pool().submit(() -> IntStream.range(0, nb.rows()).parallel().forEach(i -> {
            int o = i * k;
            for (int j = 0; j < k; j++) {
                double d2 = ReferenceBackend.squaredDistance(queries, i, base, index[o + j]);
                dist[o + j] = (float) (metric == Metric.COSINE ? d2 / 2 : Math.sqrt(d2));
            }
            sortByDistance(index, dist, o, o + k);
        })).join();
        return new Neighbors(nb.rows(), k, index, dist);
    }

    /** Sorts entries [from, to) by (distance, index): the order every neighbour list is kept in. */
    static void sortByDistance(int[] index, float[] dist, int from, int to) {
        for (int a = from + 1; a < to; a++) {
            int i = index[a];
            float d = dist[a];
            int b = a - 1;
            while (b >= from && (dist[b] > d || (dist[b] == d && index[b] > i))) {
                index[b + 1] = index[b];
                dist[b + 1] = dist[b];
                b--;
            }
            index[b + 1] = i;
            dist[b + 1] = d;
        }
    }

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

    /** The exact kNN graph of {@code x}: search, weights, symmetrization. */
    public static CsrGraph graph(Backend backend, FloatMatrix x, KnnOptions options, Progress progress) {
        return graph(x, allRows(backend, x, options.k(), options.metric(), options.includeSelf(), progress), options);
    }

    /** The graph of already-found neighbours (exact or {@link #approximate}): weights, symmetrization. */
    public static CsrGraph graph(FloatMatrix x, Neighbors nb, KnnOptions options) {
        return GraphBuilder.fromNeighbors(nb, options.weighting(), options.sigma(), options.symmetrization());
    }
}
