package org.labelprop.core.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Memory;
import org.labelprop.core.Parallel;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.PickedRows;
import org.labelprop.core.backend.TwoWayNeighbors;
import org.labelprop.core.graph.Neighbors;

/**
 * Approximate k-nearest neighbours through an inverted file (the IVF-Flat index of Jégou, Douze and
 * Schmid 2011, as in Faiss): k-means splits the rows into lists around centroids; every row is searched
 * exactly, with the backend's tiled kernel, against the rows of the {@code probes} lists whose centroids
 * lie nearest to it. Each list's products serve both ways ({@link Backend#nearestBothWays}): the rows that
 * probed the list get their nearest members, and the members get their nearest among those rows, so a row
 * also hears every row that probed its own list. That symmetric use of the same products raised Fashion-MNIST's
 * recall@10 at 5 probes from 0.968 to 0.9895, what 8 probes gave one way. Where NN-Descent visits pairs one
 * at a time, this spends its work in dense tiles, which pays on data of high intrinsic dimension: on
 * 1,000,000 x 128 isotropic clusters NN-Descent reached recall 0.88 in 268 s, this 0.944 in 17 s
 * (docs/benchmarks.md).
 *
 * <p>Deterministic for a seed on any number of threads: the training sample, the first centroids and the
 * re-seeding of empty lists come from the seed, and the means are summed in row order. Where the backend allows
 * it ({@link Backend#concurrentSearches()}) the lists are searched in parallel, pieces of them split so that
 * few pairs are computed twice; each row's list is then the k nearest of its candidates by (distance, index),
 * a candidate met twice keeping its smaller distance, whatever order the lists were merged in. Elsewhere the
 * lists are searched one after another.
 */
public final class InvertedFile implements NeighborSearch {
    private final Options options;

    public InvertedFile(Options options) {
        this.options = options;
    }

    /** An inverted file with {@link Options#defaults()}. */
    public static InvertedFile withDefaults() {
        return new InvertedFile(Options.defaults());
    }

    public Options options() {
        return options;
    }

    @Override
    public String toString() {
        return "inverted file " + options;
    }

    /**
     * @param lists k-means centroids (0: the square root of the row count)
     * @param probes the most lists searched per row, nearest centroids first
     * @param probeRatio a row searches its j-th nearest list only while that centroid's squared distance is at most
     *     this times its nearest centroid's (its first {@link #MIN_PROBES} lists always); 0 searches all
     *     {@code probes} lists of every row
     * @param iterations Lloyd iterations of k-means
     * @param samplePerList training rows per list (k-means runs on lists x samplePerList rows at most)
     */
    // Serializable: a cluster's tasks route rows with probesOf (the spark module).
    public record Options(long seed, int lists, int probes, float probeRatio, int iterations, int samplePerList)
            implements java.io.Serializable {
        public Options {
            if (lists < 0) {
                throw new InvalidOptionException("InvertedFile.Options.lists", "must be >= 0, got " + lists);
            }
            if (probes < 1) {
                throw new InvalidOptionException("InvertedFile.Options.probes", "must be at least 1, got " + probes);
            }
            if (!(probeRatio == 0 || probeRatio >= 1 && probeRatio < Float.POSITIVE_INFINITY)) {
                throw new InvalidOptionException("InvertedFile.Options.probeRatio",
                        "must be 0 (always all probes) or a finite number >= 1, got " + probeRatio);
            }
            if (iterations < 1) {
                throw new InvalidOptionException("InvertedFile.Options.iterations", "must be at least 1, got " + iterations);
            }
            if (samplePerList < 1) {
                throw new InvalidOptionException("InvertedFile.Options.samplePerList", "must be at least 1, got " + samplePerList);
            }
        }

        /** The most lists searched per row by default; {@link #DEFAULT_PROBE_RATIO} decides how many of them. */
        public static final int DEFAULT_PROBES = 8;

        /**
         * A row's lists past its nearest two are searched by default while their centroids lie within this ratio
         * of the nearest centroid's squared distance (1.2 in distance), the pruning of SPANN (Chen et al. 2021):
         * a row deep inside its list needs fewer lists than one on a border. On Fashion-MNIST rows searched 4.1
         * lists on average, for the recall 5 fixed probes gave (0.9905 against 0.9903) with 13% fewer products; on
         * 1,000,000 x 128 Gaussian clusters recall rose from 0.944 to 0.9935 in the same time (docs/benchmarks.md,
         * "Twelfth pass"). Each list's members also hear the rows that probed it, so few lists suffice
         * (docs/benchmarks.md, "Seventh pass").
         */
        public static final float DEFAULT_PROBE_RATIO = 1.5f;

        /** Lists every row searches whatever the ratio (fewer only where {@code probes} is smaller). */
        public static final int MIN_PROBES = 2;

        /**
         * seed 42, the square root of n lists, up to {@link #DEFAULT_PROBES} probes within
         * {@link #DEFAULT_PROBE_RATIO}, 5 Lloyd iterations on up to 64 rows per list. Five iterations, not ten:
         * k-means had become a sixth of the search (as many products as the lists' third), and ten gave recall@10
         * 0.9895 on Fashion-MNIST against 0.9891 for five.
         */
        public static Options defaults() {
            return new Options(42, 0, DEFAULT_PROBES, DEFAULT_PROBE_RATIO, 5, 64);
        }

        public Options withSeed(long newSeed) {
            return new Options(newSeed, lists, probes, probeRatio, iterations, samplePerList);
        }

        public Options withLists(int newLists) {
            return new Options(seed, newLists, probes, probeRatio, iterations, samplePerList);
        }

        public Options withProbes(int newProbes) {
            return new Options(seed, lists, newProbes, probeRatio, iterations, samplePerList);
        }

        public Options withProbeRatio(float newProbeRatio) {
            return new Options(seed, lists, probes, newProbeRatio, iterations, samplePerList);
        }

        public Options withIterations(int newIterations) {
            return new Options(seed, lists, probes, probeRatio, newIterations, samplePerList);
        }

        public Options withSamplePerList(int newSamplePerList) {
            return new Options(seed, lists, probes, probeRatio, iterations, newSamplePerList);
        }

        /**
         * How many of row {@code row}'s nearest lists it searches: {@code near} holds each row's nearest centroids,
         * nearest first, with their squared distances as the backend's search gave them (at most {@code probes}
         * of them are looked at). The one rule for every caller, on one machine or on a cluster.
         */
        public int probesOf(Neighbors near, int row) {
            int most = Math.min(probes, near.k());
            if (probeRatio == 0) {
                return most;
            }
            float limit = probeRatio * Math.max(near.distance(row, 0), 0f);
            int p = Math.min(MIN_PROBES, most);
            while (p < most && near.distance(row, p) <= limit) {
                p++;
            }
            return p;
        }
    }

    /**
     * The approximate k nearest other rows of every row, by squared euclidean distance, sorted by
     * (distance, index). Needs k &lt; rows.
     */
    @Override
    public Neighbors search(Backend backend, FloatMatrix x, int k, Progress progress) {
        return searchInOrder(backend, x, k, progress).neighbors();
    }

    /** The rows in order list by list: a list's rows find their neighbours among the same few lists. */
    @Override
    public Found searchInOrder(Backend backend, FloatMatrix x, int k, Progress progress) {
        int n = x.rows();
        if (k >= n) {
            throw new IllegalArgumentException("k = " + k + " needs more than " + n + " rows");
        }
        int lists = Math.max(1, Math.min(options.lists() > 0 ? options.lists() : (int) Math.round(Math.sqrt(n)), n));
        int probes = Math.min(options.probes(), lists);
        // Each row's probed lists (index + distance), its place in the searchers' lists, and its k results.
        Memory.require((long) n * probes * 12 + (long) n * k * 8 + (long) n * 4,
                "an inverted-file search of " + n + " rows with " + probes + " probes");
        float[] norms = x.squaredNorms(backend.workers());
        FloatMatrix centroids = kMeans(backend, x, norms, lists, options);
        // Each row's nearest centroids: the first is the list it belongs to, all are the lists it searches.
        Neighbors near = backend.nearestWithin(centroids, PickedRows.all(x, norms), probes, null, Progress.NONE);
        int[] probed = new int[n];
        Arrays.setAll(probed, i -> options.probesOf(near, i));
        int[] members = groupBy(n, lists, near, i -> 1);
        int[] searchers = groupBy(n, lists, near, i -> probed[i]);
        int[] found = new int[FloatMatrix.checkSize(n, k, "neighbour list")];
        float[] dist = new float[found.length];
        Arrays.fill(found, -1);
        Arrays.fill(dist, Float.POSITIVE_INFINITY);
        boolean parallel = backend.concurrentSearches();
        List<Piece> pieces = pieces(near, probed, lists, members, searchers, parallel);
        progress.start(String.format("kNN graph (inverted file, %d lists, %.2f of up to %d probes per row)", lists,
                (double) (searchers.length - lists - 1) / n, probes), pieces.size());
        if (parallel) {
            Object[] locks = new Object[ROW_LOCKS];
            Arrays.setAll(locks, l -> new Object());
            backend.workers().submit(() -> pieces.parallelStream().forEach(piece -> {
                searchList(backend, x, norms, piece, k, found, dist, locks);
                progress.advance(1);
            })).join();
        } else {
            for (Piece piece : pieces) {
                searchList(backend, x, norms, piece, k, found, dist, null);
                progress.advance(1);
            }
        }
        progress.finish();
        completeShortLists(backend, x, k, found, dist);
        return new Found(new Neighbors(n, k, found, dist), Arrays.copyOfRange(members, lists + 1, lists + 1 + n));
    }

    /** Row locks for merging the lists searched in parallel: a row's lock is locks[row mod ROW_LOCKS]. */
    private static final int ROW_LOCKS = 1024;

    /**
     * Searchers from one home list split off from a list's piece when at least this many: smaller groups make
     * small tiles whose fixed costs outweigh the pairs they skip.
     */
    static final int SPLIT_GROUP = 64;

    /** Part of a list's search: query rows against base rows (row ids of x), both ways. */
    private record Piece(int[] base, int[] queries) {
    }

    /**
     * The lists' searches as pieces: one per list (its members against the rows that probe it), and with
     * {@code split} without most of the pairs two lists would both compute. A searcher i whose home list H (its
     * nearest centroid) is not list L meets L's member j in L's search, and meets j again in H's search when j
     * probes H (j is then among H's searchers, i among H's members). On Fashion-MNIST at 5 probes such pairs
     * were 18% of all products (docs/benchmarks.md, eighth pass). So a group of at least {@link #SPLIT_GROUP}
     * searchers of L from one later home H &gt; L is a piece of its own, against only the members of L that do
     * not probe H; H's search, where the members probing H are searchers from the earlier list L, keeps those
     * pairs. The other searchers meet all members (a pair met twice is offered twice, harmlessly). The
     * candidates of every row are the same either way. Split only where the pieces run in parallel: one after
     * another, the extra small searches cost more than the pairs they skip.
     */
    private static List<Piece> pieces(Neighbors near, int[] probed, int lists, int[] members, int[] searchers,
                                      boolean split) {
        List<Piece> pieces = new ArrayList<>();
        int[] fromHome = new int[lists];
        for (int list = 0; list < lists; list++) {
            int[] base = slice(members, lists, list);
            int[] queries = slice(searchers, lists, list);
            if (base.length == 0 || queries.length == 0) {
                continue;
            }
            if (!split) {
                pieces.add(new Piece(base, queries));
                continue;
            }
            for (int q : queries) {
                fromHome[near.neighbor(q, 0)]++;
            }
            int here = list;
            for (int home = list + 1; home < lists; home++) {
                if (fromHome[home] >= SPLIT_GROUP) {
                    int h = home;
                    int[] group = Arrays.stream(queries).filter(q -> near.neighbor(q, 0) == h).toArray();
                    int[] notProbing = Arrays.stream(base).filter(m -> !probes(near, probed[m], m, h)).toArray();
                    if (notProbing.length > 0) {
                        pieces.add(new Piece(notProbing, group));
                    }
                }
            }
            int[] rest = Arrays.stream(queries).filter(q -> {
                int home = near.neighbor(q, 0);
                return home <= here || fromHome[home] < SPLIT_GROUP;
            }).toArray();
            if (rest.length > 0) {
                pieces.add(new Piece(base, rest));
            }
            for (int q : queries) {
                fromHome[near.neighbor(q, 0)] = 0;
            }
        }
        return pieces;
    }

    /** Whether {@code row} probes list {@code list}: it is among its first {@code probed} entries in {@code near}. */
    private static boolean probes(Neighbors near, int probed, int row, int list) {
        for (int j = 0; j < probed; j++) {
            if (near.neighbor(row, j) == list) {
                return true;
            }
        }
        return false;
    }

    /**
     * Exact search of a piece's queries against its base rows, both ways: each query's candidates among the
     * list's members, and each member's candidates among the rows that probed the list, merged into the
     * running lists. A row appears once among a piece's queries and at most once among its base rows, so each
     * side merges its rows in parallel safely; the members' side follows the queries'. Pieces searched at the
     * same time share rows: then {@code locks} is given and each row merges under its lock.
     */
    private static void searchList(Backend backend, FloatMatrix x, float[] norms, Piece piece, int k, int[] found,
                                   float[] dist, Object[] locks) {
        int[] base = piece.base();
        int[] queries = piece.queries();
        // A candidate farther than a row's k-th so far cannot enter its list: the backend may skip it.
        float[] queryCeilings = new float[queries.length];
        for (int q = 0; q < queries.length; q++) {
            queryCeilings[q] = dist[queries[q] * k + k - 1];
        }
        float[] baseCeilings = new float[base.length];
        for (int b = 0; b < base.length; b++) {
            baseCeilings[b] = dist[base[b] * k + k - 1];
        }
        // One more than k: a member of this list finds itself among the queries, and a query among the members.
        TwoWayNeighbors nb = backend.nearestBothWays(new PickedRows(x, base, norms), new PickedRows(x, queries, norms),
                k + 1, queryCeilings, baseCeilings);
        merge(backend, queries, nb.ofQueries(), base, k, found, dist, locks);
        merge(backend, base, nb.ofBase(), queries, k, found, dist, locks);
    }

    /**
     * Offers row {@code rows[r]} the candidates {@code candidates[near.neighbor(r, j)]}, itself left out; under
     * the row's lock when lists are searched in parallel ({@code locks} not null).
     */
    private static void merge(Backend backend, int[] rows, Neighbors near, int[] candidates, int k, int[] found,
                              float[] dist, Object[] locks) {
        backend.workers().submit(() -> IntStream.range(0, rows.length).parallel().forEach(r -> {
            int row = rows[r];
            if (locks == null) {
                offerAll(row, r, near, candidates, k, found, dist);
            } else {
                synchronized (locks[row % ROW_LOCKS]) {
                    offerAll(row, r, near, candidates, k, found, dist);
                }
            }
        })).join();
    }

    private static void offerAll(int row, int r, Neighbors near, int[] candidates, int k, int[] found,
                                 float[] dist) {
        for (int j = 0; j < near.k() && near.neighbor(r, j) >= 0; j++) {
            int cand = candidates[near.neighbor(r, j)];
            if (cand != row) {
                offer(found, dist, row * k, k, cand, near.distance(r, j));
            }
        }
    }

    /**
     * Inserts (cand, d) into the sorted list at [o, o + k) unless it is no better than the last. A candidate
     * already present keeps the smaller of its two distances (a pair met in two lists may come as two floats,
     * one per orientation), so the list does not depend on the order lists were merged in.
     */
    private static void offer(int[] found, float[] dist, int o, int k, int cand, float d) {
        int last = o + k - 1;
        if (!ranksBefore(d, cand, dist[last], found[last])) {
            return;
        }
        for (int p = o; p < o + k && found[p] >= 0; p++) {
            if (found[p] == cand) {
                if (!(d < dist[p])) {
                    return;
                }
                System.arraycopy(found, p + 1, found, p, last - p);
                System.arraycopy(dist, p + 1, dist, p, last - p);
                found[last] = -1;
                dist[last] = Float.POSITIVE_INFINITY;
                break;
            }
        }
        int p = last;
        while (p > o && ranksBefore(d, cand, dist[p - 1], found[p - 1])) {
            found[p] = found[p - 1];
            dist[p] = dist[p - 1];
            p--;
        }
        found[p] = cand;
        dist[p] = d;
    }

    /** (d1, i1) before (d2, i2): by distance, ties by index; empty slots (-1, +inf) rank last. */
    private static boolean ranksBefore(float d1, int i1, float d2, int i2) {
        return i2 < 0 || Neighbors.precedes(d1, i1, d2, i2);
    }

    /**
     * Rows whose probed lists held fewer than k other rows (possible only with tiny lists) get an exact
     * search over all rows, so every row ends with k neighbours.
     */
    private static void completeShortLists(Backend backend, FloatMatrix x, int k, int[] found, float[] dist) {
        int[] shortRows = IntStream.range(0, x.rows()).filter(i -> found[i * k + k - 1] < 0).toArray();
        if (shortRows.length == 0) {
            return;
        }
        Neighbors nb = backend.nearest(x, x.selectRows(shortRows), k + 1, false, Progress.NONE);
        for (int q = 0; q < shortRows.length; q++) {
            int row = shortRows[q];
            Arrays.fill(found, row * k, row * k + k, -1);
            Arrays.fill(dist, row * k, row * k + k, Float.POSITIVE_INFINITY);
            for (int j = 0; j < k + 1; j++) {
                if (nb.neighbor(q, j) != row) {
                    offer(found, dist, row * k, k, nb.neighbor(q, j), nb.distance(q, j));
                }
            }
        }
    }

    /**
     * Rows grouped by the first {@code take.applyAsInt(row)} entries of their lists in {@code near}: a CSR-like
     * array whose first lists + 1 entries are offsets (relative to lists + 1) and whose rest are row ids in row
     * order.
     */
    private static int[] groupBy(int n, int lists, Neighbors near, java.util.function.IntUnaryOperator take) {
        int[] count = new int[lists + 1];
        long entries = 0;
        for (int i = 0; i < n; i++) {
            int taken = take.applyAsInt(i);
            entries += taken;
            for (int j = 0; j < taken; j++) {
                count[near.neighbor(i, j) + 1]++;
            }
        }
        for (int l = 0; l < lists; l++) {
            count[l + 1] += count[l];
        }
        int[] out = new int[lists + 1 + FloatMatrix.checkSize(entries, 1, "inverted lists")];
        System.arraycopy(count, 0, out, 0, lists + 1);
        int[] next = Arrays.copyOf(count, lists);
        for (int i = 0; i < n; i++) {
            for (int j = 0, taken = take.applyAsInt(i); j < taken; j++) {
                out[lists + 1 + next[near.neighbor(i, j)]++] = i;
            }
        }
        return out;
    }

    private static int[] slice(int[] grouped, int lists, int list) {
        return Arrays.copyOfRange(grouped, lists + 1 + grouped[list], lists + 1 + grouped[list + 1]);
    }

    /**
     * Lloyd's k-means on a sample of rows drawn with the seed, started from distinct sampled rows; a list
     * left empty is re-seeded with a sampled row. Assignment runs on the backend's tiled kernel.
     */
    public static FloatMatrix kMeans(Backend backend, FloatMatrix x, int lists, Options options) {
        return kMeans(backend, x, x.squaredNorms(backend.workers()), lists, options);
    }

    /**
     * {@link #kMeans(Backend, FloatMatrix, int, Options)} given {@link FloatMatrix#squaredNorms() x.squaredNorms()}:
     * the sample is searched as rows of x named by index, neither copied nor its norms computed again.
     */
    static FloatMatrix kMeans(Backend backend, FloatMatrix x, float[] norms, int lists, Options options) {
        int n = x.rows();
        int d = x.cols();
        float[] rows = x.data();
        SplittableRandom random = new SplittableRandom(options.seed());
        int m = (int) Math.min(n, (long) lists * options.samplePerList());
        int[] sampleRows = m == n ? IntStream.range(0, n).toArray() : random.ints(0, n).distinct().limit(m).toArray();
        PickedRows sample = new PickedRows(x, sampleRows, norms);
        int[] first = shuffled(m, random);
        float[] c = new float[lists * d];
        for (int l = 0; l < lists; l++) {
            System.arraycopy(rows, sampleRows[first[l]] * d, c, l * d, d);
        }
        for (int it = 0; it < options.iterations(); it++) {
            Neighbors assign = backend.nearestWithin(new FloatMatrix(lists, d, c), sample, 1, null, Progress.NONE);
            int[] size = new int[lists];
            int[] listOf = new int[m];
            for (int i = 0; i < m; i++) {
                listOf[i] = assign.neighbor(i, 0);
                size[listOf[i]]++;
            }
            // Each list's sum in sample order, feature ranges in parallel: every sum adds the same values in the
            // same order as one loop would.
            double[] sum = new double[lists * d];
            Parallel.forRanges(backend.workers(), d, SUM_FEATURES, (from, to) -> {
                for (int i = 0; i < m; i++) {
                    addRange(sum, listOf[i] * d, rows, sampleRows[i] * d, from, to);
                }
            });
            for (int l = 0; l < lists; l++) {
                if (size[l] == 0) {
                    System.arraycopy(rows, sampleRows[random.nextInt(m)] * d, c, l * d, d);
                    continue;
                }
                for (int t = 0; t < d; t++) {
                    c[l * d + t] = (float) (sum[l * d + t] / size[l]);
                }
            }
        }
        return new FloatMatrix(lists, d, c);
    }

    /** Features per task of k-means' sums. */
    private static final int SUM_FEATURES = 128;

    /**
     * Adds features [from, to) of the row at x[o...] to sum[s...]: a method of its own, so that C2 compiles it
     * early and whole, by its calls, rather than k-means' loop running interpreted until an OSR compile.
     */
    private static void addRange(double[] sum, int s, float[] x, int o, int from, int to) {
        for (int t = from; t < to; t++) {
            sum[s + t] += x[o + t];
        }
    }

    private static int[] shuffled(int m, SplittableRandom random) {
        int[] p = IntStream.range(0, m).toArray();
        for (int i = m - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
