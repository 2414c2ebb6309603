package org.labelprop.core.search;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Parallel;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.RowKernels;
import org.labelprop.core.backend.TopK;
import org.labelprop.core.features.Pca;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.graph.Reordering;

/**
 * Exact k nearest neighbours with most pairs ruled out by a lower bound instead of measured in full ("filter and
 * refine", as in Seidl and Kriegel's multi-step kNN search, 1998). With P the top m principal directions of the
 * data (orthonormal rows) and r(x) the length of x's part outside them, every pair satisfies
 * <pre>  |x - y|^2 = |P(x - y)|^2 + |(I - P^T P)(x - y)|^2 &gt;= |P(x - y)|^2 + (r(x) - r(y))^2,</pre>
 * which is the squared distance between the (m + 1)-dimensional rows [P x, r(x)]: a lower bound that the backend's
 * tiles compute as fast as any distance, at m + 1 features instead of d. The search then runs in four steps:
 * <ol>
 * <li>each row's 4k nearest rows in the bound, found approximately by an {@link InvertedFile} on the bound's rows;</li>
 * <li>their full distances; the k-th smallest, U, is at least the row's true k-th distance, whatever rows step 1
 * found;</li>
 * <li>every row whose bound is at most U (plus the bound's float rounding): the true k nearest are among them,
 * since their bounds are at most their distances ({@link Backend#pairsWithin}, the same tiles again);</li>
 * <li>those candidates' full distances, from which each row keeps its k nearest.</li>
 * </ol>
 * On Fashion-MNIST (70,000 x 784) a row keeps 368 candidates of 70,000 and the search takes 7.2 s against 16.0 s
 * for all pairs on AVX-512, 8.3-8.4 s against 23.9 s on AVX2 (warm, JDK 25; docs/benchmarks.md, thirteenth pass). The result is {@link Backend#nearest}'s as the
 * reference backend defines it: the k smallest (float of {@link FloatMatrix#squaredDistance}, index), self
 * excluded, bit for bit, whatever the data. On data the bound cannot prune {@link #search} returns null, and the
 * caller searches all pairs: before any search where no few directions hold most of the variance, after steps 1
 * and 2 where a sample of rows shows step 3 would keep too many candidates.
 */
public final class PrunedExactSearch {
    private PrunedExactSearch() {
    }

    /**
     * Less all-pairs work than this (n^2 d / 2 multiply-adds) and the fixed costs (the basis, the inverted file, and
     * in a fresh JVM their compilation, about 2 s) would not pay. On Fashion-MNIST's first 20,000 rows (1.6e11) a
     * fresh JVM's pruned search took 3.7-4.1 s against 1.3-2.0 s for all pairs; at 35,000 (4.8e11) 5.3-5.6 s against
     * 3.6-5.8 s, and warm 2.9-3.3 s against 3.8-6.2 s; at 70,000 (1.9e12) it wins either way (thirteenth pass).
     */
    public static final double MIN_WORK = 5e11;
    /** Fewer features than this: the bound's m + 1 features would not be much fewer than the data's. */
    public static final int MIN_FEATURES = 256;
    /** Rows the principal directions are fitted on; any orthonormal directions make a valid bound, good ones a tight one. */
    static final int BASIS_ROWS = 4096;
    /** The bound's principal directions at most, and at most a quarter of the features. */
    static final int MAX_DIRECTIONS = 100;
    /** Below this share of the variance in the directions, the bound is too loose to prune (checked first). */
    static final double MIN_EXPLAINED = 0.7;
    /** Rows whose candidates are counted ahead of step 3, to estimate its pairs. */
    static final int SAMPLE_ROWS = 128;
    /**
     * Time of one step-4 candidate's full distance (a row gathered from memory, d features) against one product of an
     * all-pairs tile, per feature: 2.17 s for 25.7 M candidates of 784 features against 15.0 s for the 2.45 G pairs of
     * a self-join (Fashion-MNIST, AVX-512, JDK 25; 10.6 on AVX2). The bound's pass (step 3, its lists included) costs
     * 1.9 times a tile's product per feature (1.7 on AVX2), for its selection on few features.
     */
    static final double GATHER_COST = 14;
    static final double BOUND_PASS_COST = 1.9;
    /** The progress stage of a search that prunes (a benchmark tells the two exact searches apart by it). */
    public static final String STAGE = "kNN graph (exact, candidates by a lower bound)";
    /** Candidates per neighbour wanted that step 1 measures for each row's ceiling. */
    static final int CEILING_CANDIDATES = 4;
    /** The seed of the basis's randomized SVD: any basis is valid, so it is fixed rather than asked for. */
    private static final long SEED = 1;
    /** Float's unit roundoff. */
    private static final double U = 0x1p-24;

    /**
     * The k nearest other rows of every row of x, or null where the bound would not pay: too little work or too few
     * features ({@link #MIN_WORK}, {@link #MIN_FEATURES}), a backend without tiled {@link Backend#pairsWithin}, or
     * data whose bound would keep too many candidates.
     */
    public static Neighbors search(Backend backend, FloatMatrix x, int k, Progress progress) {
        double work = (double) x.rows() * x.rows() * x.cols() / 2;
        if (!backend.tiledPairsWithin() || work < MIN_WORK || x.cols() < MIN_FEATURES) {
            return null;
        }
        return searchAnySize(backend, x, k, progress);
    }

    /**
     * {@link #search} without its rules on size and backend: null only where the data would keep too many candidates
     * (or k is a quarter of the rows or more). Tests run the steps on small data this way.
     */
    public static Neighbors searchAnySize(Backend backend, FloatMatrix x, int k, Progress progress) {
        int n = x.rows();
        int d = x.cols();
        if (k < 1 || k >= n / 4) {
            return null;
        }
        x.requireDistanceScale("the exact search's features");
        Bound bound = Bound.fit(backend, x);
        if (bound == null) {
            return null;
        }
        int m = bound.dims();
        progress.start(STAGE, 4);
        // Step 1: each row's 4k nearest in the bound, approximately: any candidates give a valid ceiling, near ones
        // a tight one, and an inverted file finds them at a fraction of a self-join's cost. With 4k rather than 2k
        // the ceilings kept 368 candidates a row on Fashion-MNIST instead of 424, for 0.6 s more in steps 1 and 2.
        Neighbors byBound = InvertedFile.withDefaults().search(backend, bound.rows(),
                Math.min(CEILING_CANDIDATES * k, n - 1), Progress.NONE);
        progress.advance(1);
        // Step 2: their full distances; each row's k-th smallest is its ceiling, widened by the bound's rounding.
        float[] ceilings = ceilings(backend, x, byBound, k, bound);
        progress.advance(1);
        // Step 3 only where its candidates, counted on a sample, cost less than the all-pairs tiles, and would take
        // at most a quarter of the maximum heap: 8 bytes each in the lists, up to as much again as they grow, 8 in the
        // graph they are drained to. The maximum, not what is free now, so the choice (and with it the lists at near
        // ties, where all pairs select by the tiles' floats) does not depend on the collector's timing.
        double candidates = (double) n * sampleCandidates(backend, bound.rows(), ceilings);
        double allPairs = (double) n * n / 2 * d;
        double pruned = (double) n * n / 2 * (m + 1) * BOUND_PASS_COST + candidates * d * GATHER_COST;
        if (pruned >= allPairs || 24 * candidates > Runtime.getRuntime().maxMemory() / 4.0) {
            progress.finish();
            return null;
        }
        // The bound's rows in a k-d order of their first two (widest) features, so that a backend may skip tiles of
        // rows far apart in them (the cpu backend's BlockSpans); the candidates come back named by sorted position.
        int[] sorted = compactOrder(bound.rows());
        float[] sortedCeilings = new float[n];
        for (int s = 0; s < n; s++) {
            sortedCeilings[s] = ceilings[sorted[s]];
        }
        CsrGraph within = backend.pairsWithin(bound.rows().selectRows(sorted), sortedCeilings);
        progress.advance(1);
        // Step 4: the candidates' full distances.
        Neighbors nb = nearestAmong(backend, x, within, sorted, k);
        progress.finish();
        return nb;
    }

    /**
     * The bound's rows [P (x - mean), r] (float), with P orthonormal in double; each row's length |x - mean| (the
     * length of its bound row too) and the largest of them, for the slack.
     */
    record Bound(FloatMatrix rows, double[] norms, double maxNorm) {
        int dims() {
            return rows.cols() - 1;
        }

        /** The bound's rows, or null where the top directions hold less than {@link #MIN_EXPLAINED} of the variance. */
        static Bound fit(Backend backend, FloatMatrix x) {
            int n = x.rows();
            int d = x.cols();
            int m = Math.min(MAX_DIRECTIONS, d / 4);
            int[] sample = new int[Math.min(n, BASIS_ROWS)];
            for (int s = 0; s < sample.length; s++) {
                sample[s] = (int) ((long) s * n / sample.length);
            }
            FloatMatrix fitRows = x.selectRows(sample);
            Pca pca = Pca.fit(backend, fitRows, m, SEED);
            float[] mean = pca.mean();
            double total = 0;
            for (int i = 0; i < fitRows.rows(); i++) {
                total += FloatMatrix.exactSquaredDistance(fitRows.data(), i * d, mean, 0, d);
            }
            total /= Math.max(fitRows.rows() - 1, 1);
            double explained = 0;
            for (double v : pca.variance()) {
                explained += v;
            }
            if (explained < MIN_EXPLAINED * total) {
                return null;
            }
            double[] p = pca.orthonormalComponents();
            // Each row centred in float first, c = fl(x - mean): each feature within one rounding of its own centred
            // value, so the bound of c lies within the slack of x's however far the data sits from the origin
            // (projecting x and subtracting P mean in double left r(x) an error that grew with |mean|). Then
            // z = P c in double (the row kernels' linear scores) and r = sqrt(|c|^2 - |z|^2), both at the data's
            // own scale.
            double[] noShift = new double[m];
            float[] zero = new float[d];
            float[] out = new float[FloatMatrix.checkSize(n, m + 1, "bound rows")];
            RowKernels kernels = backend.rowKernels();
            float[] xs = x.data();
            double[] norms = new double[n];
            Parallel.forRanges(backend.workers(), n, 1024, (from, to) -> {
                double[] z = new double[m];
                float[] c = new float[d];
                for (int i = from; i < to; i++) {
                    for (int t = 0; t < d; t++) {
                        c[t] = xs[i * d + t] - mean[t];
                    }
                    kernels.linearScores(c, 0, d, p, noShift, z);
                    double inside = 0;
                    for (int j = 0; j < m; j++) {
                        out[i * (m + 1) + j] = (float) z[j];
                        inside += z[j] * z[j];
                    }
                    double all = FloatMatrix.exactSquaredDistance(c, 0, zero, 0, d);
                    out[i * (m + 1) + m] = (float) Math.sqrt(Math.max(0, all - inside));
                    norms[i] = Math.sqrt(all);
                }
            });
            double maxNorm = 0;
            for (double v : norms) {
                maxNorm = Math.max(maxNorm, v);
            }
            return new Bound(new FloatMatrix(n, m + 1, out), norms, maxNorm);
        }

        /**
         * How far the backend's float distance between two bound rows may lie above the bound of the rows' true
         * distance: the centring's rounding (at most 3 u (|a| + |b|)^2), the bound rows' float rounding and the
         * |a|^2 - 2 a.b + |b|^2 form's (a few units of roundoff per feature of (|a| + |b|)^2), counted twice over,
         * with the largest row's norm for |b|. One far row widens every row's slack, which costs pruning, not
         * correctness.
         */
        double slack(int i) {
            double a = norms[i];
            return 2 * (dims() + 8) * U * (a + maxNorm) * (a + maxNorm);
        }
    }

    /**
     * Each row's k-th smallest full distance among its candidates in {@code byBound}, as an upper bound, plus the
     * bound's slack, rounded up to float: no row farther than its true k-th distance has a bound under it. The
     * distances are {@link RowKernels#squaredDistances}' floats, each at least (1 - (d + 3) u) times the exact one (a
     * sum of non-negative terms), so the k-th smallest float times 1 + 4 (d + 3) u is at least the k-th smallest
     * exact distance.
     */
    private static float[] ceilings(Backend backend, FloatMatrix x, Neighbors byBound, int k, Bound bound) {
        int n = x.rows();
        int d = x.cols();
        int c = byBound.k();
        float[] out = new float[n];
        RowKernels kernels = backend.rowKernels();
        double widen = 1 + 4 * (d + 3) * U;
        Parallel.forRanges(backend.workers(), n, 256, (from, to) -> {
            float[] dist = new float[c];
            for (int i = from; i < to; i++) {
                // An approximate search may leave places empty (index -1): those are not candidates.
                int found = c;
                while (found > 0 && byBound.neighbor(i, found - 1) < 0) {
                    found--;
                }
                if (found < k) {
                    out[i] = Float.POSITIVE_INFINITY;
                    continue;
                }
                kernels.squaredDistances(x.data(), i * d, x.data(), byBound.index(), i * c, found, d, dist);
                java.util.Arrays.sort(dist, 0, found);
                out[i] = Math.nextUp((float) (dist[k - 1] * widen + bound.slack(i)));
            }
        });
        return out;
    }

    /** The mean number of rows within their ceilings in the bound, over {@link #SAMPLE_ROWS} rows spread evenly. */
    private static double sampleCandidates(Backend backend, FloatMatrix rows, float[] ceilings) {
        int n = rows.rows();
        int w = rows.cols();
        int s = Math.min(n, SAMPLE_ROWS);
        RowKernels kernels = backend.rowKernels();
        long[] counts = new long[s];
        Parallel.forRanges(backend.workers(), s, 8, (from, to) -> {
            for (int q = from; q < to; q++) {
                int i = (int) ((long) q * n / s);
                long count = 0;
                for (int j = 0; j < n; j++) {
                    if (kernels.squaredDistance(rows.data(), i * w, rows.data(), j * w, w) <= ceilings[i]) {
                        count++;
                    }
                }
                counts[q] = count;
            }
        });
        long sum = 0;
        for (long v : counts) {
            sum += v;
        }
        return (double) sum / s;
    }

    /** Most rows of a cell of {@link #compactOrder}: a few of a backend's tile blocks. */
    static final int ORDER_LEAF = 256;

    /**
     * Row indexes in a k-d order of the first two features: the rows are sorted by the feature with the wider range,
     * ties by index, and each half ordered so again until at most {@link #ORDER_LEAF} rows are left. Consecutive rows
     * then lie close in both features, so more of a self-join's tiles lie apart in one of them than when sorted by
     * the first alone (on Fashion-MNIST's bound, 33% of the block pairs against 21%).
     */
    static int[] compactOrder(FloatMatrix rows) {
        int n = rows.rows();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        orderCell(rows.data(), rows.cols(), Math.min(2, rows.cols()), order, 0, n, new long[n]);
        return order;
    }

    private static void orderCell(float[] x, int w, int features, int[] order, int from, int to, long[] keys) {
        while (to - from > ORDER_LEAF && features > 0) {
            int widest = 0;
            double widestRange = -1;
            for (int f = 0; f < features; f++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int s = from; s < to; s++) {
                    float v = x[order[s] * w + f];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                if ((double) hi - lo > widestRange) {
                    widestRange = (double) hi - lo;
                    widest = f;
                }
            }
            for (int s = from; s < to; s++) {
                // Float bits made monotone as signed ints (negative values flipped), then the index.
                int bits = Float.floatToIntBits(x[order[s] * w + widest] + 0f);
                keys[s] = (long) (bits < 0 ? bits ^ Integer.MAX_VALUE : bits) << 32 | order[s];
            }
            java.util.Arrays.sort(keys, from, to);
            for (int s = from; s < to; s++) {
                order[s] = (int) keys[s];
            }
            int mid = (from + to) >>> 1;
            orderCell(x, w, features, order, from, mid, keys);
            from = mid;
        }
    }

    /**
     * Each row's k nearest among its candidates by (float of the exact distance, index), self excluded. The
     * candidates' float distances ({@link RowKernels#squaredDistance}, a sum of non-negative terms, so within
     * (d + 3) roundoffs of the exact one relative to it) pick those that can be among the k; only they are measured
     * exactly, while their rows are still in cache. Rows go in breadth-first order of {@code within}, so consecutive
     * rows share candidates in cache too: gathering the candidates' rows from memory is this step's cost. A row with
     * fewer than k candidates (which the ceilings rule out) is searched against all rows.
     */
    static Neighbors nearestAmong(Backend backend, FloatMatrix x, CsrGraph within, int[] rowOf, int k) {
        int n = x.rows();
        int d = x.cols();
        float[] xs = x.data();
        int[] index = new int[FloatMatrix.checkSize(n, k, "neighbour list")];
        float[] dist = new float[index.length];
        int[] rowPtr = within.rowPtr();
        int[] col = within.col();
        RowKernels kernels = backend.rowKernels();
        int[] order = Reordering.breadthFirst(within);
        double tolerance = 1 + 4 * (d + 3) * U;
        Parallel.forRanges(backend.workers(), n, 64, (from, to) -> {
            float[] approx = new float[16];
            float[] smallest = new float[k];
            int[] candidates = new int[16];
            for (int p = from; p < to; p++) {
                int r = order[p];
                int i = rowOf[r];
                int start = rowPtr[r];
                int count = rowPtr[r + 1] - start;
                TopK top = new TopK(k);
                if (count < k) {
                    for (int j = 0; j < n; j++) {
                        if (j != i) {
                            top.offer((float) FloatMatrix.exactSquaredDistance(xs, i * d, xs, j * d, d), j);
                        }
                    }
                } else {
                    if (approx.length < count) {
                        approx = new float[count];
                        candidates = new int[count];
                    }
                    for (int e = 0; e < count; e++) {
                        candidates[e] = rowOf[col[start + e]];
                    }
                    // The k smallest float distances, sorted, by insertion: most candidates fail the first test.
                    java.util.Arrays.fill(smallest, Float.POSITIVE_INFINITY);
                    kernels.squaredDistances(xs, i * d, xs, candidates, 0, count, d, approx);
                    for (int e = 0; e < count; e++) {
                        float f = approx[e];
                        if (f < smallest[k - 1]) {
                            int q = k - 1;
                            for (; q > 0 && smallest[q - 1] > f; q--) {
                                smallest[q] = smallest[q - 1];
                            }
                            smallest[q] = f;
                        }
                    }
                    double keep = smallest[k - 1] * tolerance;
                    for (int e = 0; e < count; e++) {
                        if (approx[e] <= keep) {
                            int j = candidates[e];
                            top.offer((float) FloatMatrix.exactSquaredDistance(xs, i * d, xs, j * d, d), j);
                        }
                    }
                }
                top.drainSorted(index, dist, i * k);
            }
        });
        return new Neighbors(n, k, index, dist);
    }
}
