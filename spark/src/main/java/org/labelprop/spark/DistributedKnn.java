package org.labelprop.spark;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import org.labelprop.core.backend.TwoWayNeighbors;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.search.ExactSearch;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.search.Metric;
import org.labelprop.core.graph.Weighting;
import org.labelprop.spark.BlockedGraph.Edge;
import org.labelprop.spark.BlockedGraph.Node;
import scala.Tuple2;

/**
 * The kNN graph of feature vectors on Spark, with the single-machine kernels inside partitions: every
 * distance tile is computed by a local backend ({@code cpu} where present) through core's
 * {@link KnnSearch#query}, which also recomputes the chosen pairs' distances exactly, so lists from
 * different partitions merge in core's (distance, index) order.
 * <ul>
 *   <li>Exact: rows cut into blocks, every (query block, base block) pair searched, the lists merged per
 *       row (blocked all-pairs, for moderate sizes: each block travels to every task).</li>
 *   <li>Inverted file: k-means on a sample on the driver (core's), centroids broadcast, each row sent to its
 *       own list and to the nearest lists it probes ({@link InvertedFile.Options#probesOf}), each list searched
 *       exactly, lists merged per row.
 *       Rows are renumbered list by list, so a row's neighbours mostly share its block.</li>
 * </ul>
 */
final class DistributedKnn {
    private DistributedKnn() {
    }

    /** What the tasks need of core's options (core's records are not Serializable). */
    record Spec(Metric metric, boolean includeSelf, Weighting weighting, float sigma) implements Serializable {
        static Spec of(KnnGraph.Options o) {
            return new Spec(o.metric(), o.includeSelf(), o.weighting(), o.sigma());
        }
    }

    /** A FloatMatrix as it travels to tasks (broadcast centroids). */
    record Matrix(int rows, int cols, float[] data) implements Serializable {
        static Matrix of(FloatMatrix m) {
            return new Matrix(m.rows(), m.cols(), m.data());
        }

        FloatMatrix toFloatMatrix() {
            return new FloatMatrix(rows, cols, data);
        }
    }

    /** One row with its features. */
    record FeatureRow(long index, long id, int label, float[] x) implements Serializable {
    }

    /** A row's nearest rows so far, sorted by (distance, index), at most k. */
    record NearList(long[] index, float[] distance) implements Serializable {
        /** The k first of two sorted lists, in core's order: distance, then index; no row twice. */
        NearList merge(NearList o, int k) {
            long[] idx = new long[Math.min(k, index.length + o.index.length)];
            float[] dist = new float[idx.length];
            int a = 0;
            int b = 0;
            int n = 0;
            while (n < idx.length && (a < index.length || b < o.index.length)) {
                boolean takeA = b >= o.index.length || (a < index.length && before(distance[a], index[a],
                        o.distance[b], o.index[b]));
                long i = takeA ? index[a] : o.index[b];
                float d = takeA ? distance[a++] : o.distance[b++];
                if (n > 0 && idx[n - 1] == i) {
                    continue;
                }
                idx[n] = i;
                dist[n++] = d;
            }
            return new NearList(Arrays.copyOf(idx, n), Arrays.copyOf(dist, n));
        }

        private static boolean before(float d1, long i1, float d2, long i2) {
            return d1 < d2 || (d1 == d2 && i1 < i2);
        }
    }

    static SparkGraph graph(Dataset<Row> rows, KnnGraph.Options options, int blocks) {
        if (options.pca() > 0) {
            throw new InvalidOptionException("KnnGraph.Options.pca",
                    "is not available on Spark; reduce the features before (e.g. Spark ML's PCA), got " + options.pca());
        }
        if (options.blur() != null) {
            throw new InvalidOptionException("KnnGraph.Options.blur",
                    "is not available on Spark; blur the images before, got " + options.blur());
        }
        boolean exact = options.search() instanceof ExactSearch;
        if (!exact && !(options.search() instanceof InvertedFile)) {
            throw new InvalidOptionException("KnnGraph.Options.search",
                    "must be exact search or an inverted file on Spark, got " + options.search());
        }
        SparkSession session = rows.sparkSession();
        JavaRDD<FeatureRow> data = featureRows(rows);
        data.persist(StorageLevel.MEMORY_AND_DISK());
        long n = data.count();
        if (n == 0) {
            throw new DataException("the feature table has no rows");
        }
        int others = (int) Math.min(options.includeSelf() ? options.k() - 1 : options.k(), n - 1);
        OptionalDouble recall = OptionalDouble.empty();
        JavaPairRDD<Long, NearList> lists;
        JavaRDD<FeatureRow> numbered = data;
        JavaRDD<Routed> routed = null;
        if (others == 0) {
            lists = data.mapToPair(r -> new Tuple2<>(r.index(), new NearList(new long[0], new float[0])));
        } else if (exact) {
            lists = exact(data, n, others, options.metric(), blocks);
        } else {
            InvertedFile ivf = (InvertedFile) options.search();
            routed = byList(data, n, ivf.options());
            routed.persist(StorageLevel.MEMORY_AND_DISK());
            numbered = routed.map(Routed::row);
            lists = invertedFile(routed, others, options.metric(), lists(n, ivf.options()));
            lists.persist(StorageLevel.MEMORY_AND_DISK());
            recall = OptionalDouble.of(recall(numbered, lists, n, others, options, blocks));
        }
        Spec spec = Spec.of(options);
        JavaRDD<Edge> directed = lists.flatMap(t -> edgesOf(t._1(), t._2(), spec).iterator());
        JavaRDD<Edge> edges = EdgeLists.symmetrize(directed, options.symmetrization());
        JavaRDD<Node> nodes = numbered.map(r -> new Node(r.index(), r.id(), r.label()));
        BlockedGraph blocked = BlockedGraph.build(edges, nodes, n, BlockedGraph.blockRows(n, blocks));
        lists.unpersist(false);
        if (routed != null) {
            routed.unpersist(false);
        }
        data.unpersist(false);
        return new SparkGraph(session, blocked, recall, options.symmetrization() != org.labelprop.core.graph.Symmetrization.NONE);
    }

    /** Core's weights ({@code GraphBuilder.fromNeighbors}): self first when included, d_k the last distance. */
    private static List<Edge> edgesOf(long row, NearList near, Spec spec) {
        int self = spec.includeSelf() ? 1 : 0;
        int k = near.index().length + self;
        List<Edge> out = new ArrayList<>(k);
        if (k == 0) {
            return out;
        }
        float dk = near.index().length == 0 ? 0f : near.distance()[near.index().length - 1];
        if (self == 1) {
            out.add(new Edge(row, row, spec.weighting().weight(0f, dk, spec.sigma())));
        }
        for (int j = 0; j < near.index().length; j++) {
            out.add(new Edge(row, near.index()[j], spec.weighting().weight(near.distance()[j], dk, spec.sigma())));
        }
        return out;
    }

    private static JavaRDD<FeatureRow> featureRows(Dataset<Row> rows) {
        boolean labeled = Arrays.asList(rows.columns()).contains("label");
        return rows.select(col("id").cast("long"), col("features"),
                        labeled ? col("label").cast("int") : org.apache.spark.sql.functions.lit(-1).as("label"))
                .javaRDD().zipWithIndex().map(t -> {
                    Row r = t._1();
                    List<Number> f = r.getList(1);
                    if (r.isNullAt(0) || f == null) {
                        throw new DataException("feature row " + (t._2() + 1) + " has no id or no features");
                    }
                    float[] x = new float[f.size()];
                    for (int j = 0; j < x.length; j++) {
                        x[j] = f.get(j).floatValue();
                    }
                    return new FeatureRow(t._2(), r.getLong(0),
                            r.isNullAt(2) ? -1 : SparkGraph.label(r.getLong(0), r.getInt(2)), x);
                });
    }

    /** Runs {@code work} with a backend of its own on one thread (a Spark task holds one core). */
    static <T> T withLocalBackend(Function<Backend, T> work) {
        ForkJoinPool pool = new ForkJoinPool(1);
        try (Backend backend = Backends.select("auto", pool, note -> { }, note -> { })) {
            return work.apply(backend);
        } finally {
            pool.shutdown();
        }
    }

    static FloatMatrix matrix(List<FeatureRow> rows) {
        int d = rows.isEmpty() ? 0 : rows.get(0).x().length;
        float[] out = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).x().length != d) {
                throw new DataException("row id " + rows.get(i).id() + " has " + rows.get(i).x().length
                        + " features, others " + d);
            }
            System.arraycopy(rows.get(i).x(), 0, out, i * d, d);
        }
        return new FloatMatrix(rows.size(), d, out);
    }

    /** Rows cut into blocks of consecutive indices, sorted, keyed by block. */
    private static JavaPairRDD<Integer, List<FeatureRow>> featureBlocks(JavaRDD<FeatureRow> data, long blockRows,
                                                                        int blockCount) {
        return data.mapToPair(r -> new Tuple2<>((int) (r.index() / blockRows), r))
                .groupByKey(new HashPartitioner(blockCount))
                .mapValues(it -> {
                    List<FeatureRow> l = new ArrayList<>();
                    it.forEach(l::add);
                    l.sort((a, b) -> Long.compare(a.index(), b.index()));
                    return l;
                });
    }

    /** The exact k nearest other rows of each row, from every pair of blocks. */
    private static JavaPairRDD<Long, NearList> exact(JavaRDD<FeatureRow> data, long n, int k, Metric metric,
                                                     int blocks) {
        long blockRows = BlockedGraph.blockRows(n, blocks);
        int blockCount = (int) ((n + blockRows - 1) / blockRows);
        JavaPairRDD<Integer, List<FeatureRow>> fb = featureBlocks(data, blockRows, blockCount);
        fb.persist(StorageLevel.MEMORY_AND_DISK());
        return fb.cartesian(fb).flatMapToPair(pair -> {
            List<FeatureRow> queries = pair._1()._2();
            List<FeatureRow> base = pair._2()._2();
            return searchPairs(queries, base, k, metric).iterator();
        }).reduceByKey(new HashPartitioner(blockCount), (a, b) -> a.merge(b, k));
    }

    /**
     * Each query's nearest base rows (itself excluded when present), k of them where the base has that
     * many, with exact distances.
     */
    private static List<Tuple2<Long, NearList>> searchPairs(List<FeatureRow> queries, List<FeatureRow> base, int k,
                                                            Metric metric) {
        int kk = Math.min(k + 1, base.size());
        Neighbors nb = withLocalBackend(backend -> KnnSearch.query(backend, matrix(base), matrix(queries), kk,
                metric, Progress.NONE));
        List<Tuple2<Long, NearList>> out = new ArrayList<>(queries.size());
        lists(queries, nb, base, k, out);
        return out;
    }

    /**
     * One list of the inverted file searched both ways, as the single-machine {@code InvertedFile} does: each
     * query's nearest members, and each member's nearest among the rows that probed the list (itself
     * excluded), from one search; with exact distances.
     */
    private static List<Tuple2<Long, NearList>> searchList(List<FeatureRow> queries, List<FeatureRow> base, int k,
                                                           Metric metric) {
        TwoWayNeighbors nb = withLocalBackend(backend -> KnnSearch.queryBothWays(backend, matrix(base),
                matrix(queries), k + 1, metric));
        List<Tuple2<Long, NearList>> out = new ArrayList<>(queries.size() + base.size());
        lists(queries, nb.ofQueries(), base, k, out);
        lists(base, nb.ofBase(), queries, k, out);
        return out;
    }

    /** Row r's list: its entries of {@code near} as candidate rows, itself left out, at most k. */
    private static void lists(List<FeatureRow> rows, Neighbors near, List<FeatureRow> candidates, int k,
                              List<Tuple2<Long, NearList>> out) {
        for (int r = 0; r < rows.size(); r++) {
            long self = rows.get(r).index();
            long[] idx = new long[near.k()];
            float[] dist = new float[near.k()];
            int m = 0;
            for (int j = 0; j < near.k() && m < k; j++) {
                long cand = candidates.get(near.neighbor(r, j)).index();
                if (cand != self) {
                    idx[m] = cand;
                    dist[m++] = near.distance(r, j);
                }
            }
            out.add(new Tuple2<>(self, new NearList(Arrays.copyOf(idx, m), Arrays.copyOf(dist, m))));
        }
    }

    /** A row's place in the inverted file: its nearest centroids, its own list first. */
    record Routed(FeatureRow row, int[] lists) implements Serializable {
    }

    /**
     * Trains the lists on a sample and renumbers the rows list by list (ties by old index), so that rows of
     * one list, which are each other's neighbours, share a block. Each row keeps its id.
     */
    private static JavaRDD<Routed> byList(JavaRDD<FeatureRow> data, long n, InvertedFile.Options ivf) {
        int lists = lists(n, ivf);
        int sampleRows = (int) Math.min(n, (long) lists * ivf.samplePerList());
        List<FeatureRow> sample = data.takeSample(false, sampleRows, ivf.seed());
        FloatMatrix centroids = withLocalBackend(b -> InvertedFile.kMeans(b, matrix(sample), lists, ivf));
        Broadcast<Matrix> c = new org.apache.spark.api.java.JavaSparkContext(data.context())
                .broadcast(Matrix.of(centroids));
        return data.mapPartitions(it -> route(it, c.value().toFloatMatrix(), ivf).iterator())
                .sortBy(r -> ((long) r.lists()[0] << 40) | r.row().index(), true, data.getNumPartitions())
                .zipWithIndex()
                .map(t -> new Routed(new FeatureRow(t._2(), t._1().row().id(), t._1().row().label(),
                        t._1().row().x()), t._1().lists()));
    }

    static int lists(long n, InvertedFile.Options ivf) {
        return (int) Math.max(1, Math.min(ivf.lists() > 0 ? ivf.lists() : Math.round(Math.sqrt(n)), n));
    }

    /** Each row with the lists it searches ({@link InvertedFile.Options#probesOf}), its own first. */
    private static List<Routed> route(java.util.Iterator<FeatureRow> it, FloatMatrix centroids,
                                      InvertedFile.Options ivf) {
        List<FeatureRow> rows = new ArrayList<>();
        it.forEachRemaining(rows::add);
        List<Routed> out = new ArrayList<>(rows.size());
        if (rows.isEmpty()) {
            return out;
        }
        int probes = Math.min(ivf.probes(), centroids.rows());
        Neighbors near = withLocalBackend(b -> b.nearest(centroids, matrix(rows), probes, false, Progress.NONE));
        for (int i = 0; i < rows.size(); i++) {
            int[] l = new int[ivf.probesOf(near, i)];
            for (int j = 0; j < l.length; j++) {
                l[j] = near.neighbor(i, j);
            }
            out.add(new Routed(rows.get(i), l));
        }
        return out;
    }

    /** A row as one list sees it: a member (searched against), a searcher (searching it), or both. */
    record ListEntry(FeatureRow row, boolean member) implements Serializable {
    }

    /** Each list searched exactly (its members as base, every row probing it as a query), merged per row. */
    private static JavaPairRDD<Long, NearList> invertedFile(JavaRDD<Routed> routed, int k, Metric metric, int lists) {
        int partitions = routed.getNumPartitions();
        return routed.flatMapToPair(r -> {
                    List<Tuple2<Integer, ListEntry>> out = new ArrayList<>(r.lists().length);
                    for (int j = 0; j < r.lists().length; j++) {
                        out.add(new Tuple2<>(r.lists()[j], new ListEntry(r.row(), j == 0)));
                    }
                    return out.iterator();
                })
                .groupByKey(new HashPartitioner(Math.max(partitions, Math.min(lists, 4 * partitions))))
                .flatMapToPair(t -> {
                    List<FeatureRow> base = new ArrayList<>();
                    List<FeatureRow> queries = new ArrayList<>();
                    t._2().forEach(e -> {
                        queries.add(e.row());
                        if (e.member()) {
                            base.add(e.row());
                        }
                    });
                    if (base.isEmpty()) {
                        return new ArrayList<Tuple2<Long, NearList>>().iterator();
                    }
                    base.sort((a, b) -> Long.compare(a.index(), b.index()));
                    queries.sort((a, b) -> Long.compare(a.index(), b.index()));
                    return searchList(queries, base, k, metric).iterator();
                })
                .reduceByKey((a, b) -> a.merge(b, k));
    }

    /**
     * Recall@k of the approximate lists on a seeded sample of rows: their exact lists are found against
     * every block (the sample broadcast), and the share of those rows the approximate lists hold is counted.
     */
    private static double recall(JavaRDD<FeatureRow> numbered, JavaPairRDD<Long, NearList> approx, long n, int k,
                                 KnnGraph.Options options, int blocks) {
        int m = (int) Math.min(options.recallSample(), n);
        long[] picked = new SplittableRandom(options.seed()).longs(0, n).distinct().limit(m).sorted().toArray();
        List<FeatureRow> sample = numbered.filter(r -> Arrays.binarySearch(picked, r.index()) >= 0).collect();
        org.apache.spark.api.java.JavaSparkContext sc = new org.apache.spark.api.java.JavaSparkContext(numbered.context());
        Broadcast<List<FeatureRow>> s = sc.broadcast(new ArrayList<>(sample));
        Metric metric = options.metric();
        long blockRows = BlockedGraph.blockRows(n, blocks);
        int blockCount = (int) ((n + blockRows - 1) / blockRows);
        List<Tuple2<Long, NearList>> truth = featureBlocks(numbered, blockRows, blockCount)
                .flatMapToPair(b -> searchPairs(s.value(), b._2(), k, metric).iterator())
                .reduceByKey((a, b) -> a.merge(b, k)).collect();
        java.util.Map<Long, NearList> found = approx.filter(t -> Arrays.binarySearch(picked, t._1()) >= 0)
                .collectAsMap();
        long hit = 0;
        long total = 0;
        for (Tuple2<Long, NearList> t : truth) {
            long[] mine = found.get(t._1()).index().clone();
            Arrays.sort(mine);
            for (long want : t._2().index()) {
                hit += Arrays.binarySearch(mine, want) >= 0 ? 1 : 0;
            }
            total += t._2().index().length;
        }
        s.destroy();
        return total == 0 ? 1.0 : (double) hit / total;
    }
}
