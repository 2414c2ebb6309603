package org.labelprop.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.labelprop.core.DataException;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.spark.BlockedGraph.Edge;
import org.labelprop.spark.BlockedGraph.Node;

/**
 * A weighted graph over labeled and unlabeled rows, held by Spark in blocks of consecutive rows (see
 * {@link GraphBlock}), ready for {@link SparkPropagation}. Built from an edge list or from feature vectors
 * (the kNN graph of {@link DistributedKnn}); saved and reloaded as an edge list ({@link #edgeList()}, e.g.
 * to Parquet). Holds cached data: {@link #unpersist()} when done.
 *
 * <p>Rows are numbered in the order of the node table (or, for an approximate kNN graph, grouped by
 * inverted-file list so that most edges stay inside a block); each row keeps the caller's {@code id}.
 */
public final class SparkGraph {
    /** Node table columns: {@code id} (long) and {@code label} (int, -1 unlabeled). */
    public static final StructType NODE_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("label", DataTypes.IntegerType, false);
    /** Edge list columns: {@code src}, {@code dst} (node ids) and {@code weight} (float). */
    public static final StructType EDGE_SCHEMA = new StructType()
            .add("src", DataTypes.LongType, false)
            .add("dst", DataTypes.LongType, false)
            .add("weight", DataTypes.FloatType, false);

    /** Feature table columns for {@link #fromFeatures}: {@code id}, {@code features}, {@code label}. */
    public static final StructType FEATURE_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("label", DataTypes.IntegerType, false);

    private final SparkSession session;
    private final BlockedGraph blocked;
    private final OptionalDouble recall;
    private final boolean symmetric;

    /** @param symmetric whether every edge (i, j) is known to have its reverse with the same weight */
    SparkGraph(SparkSession session, BlockedGraph blocked, OptionalDouble recall, boolean symmetric) {
        this.session = session;
        this.blocked = blocked;
        this.recall = recall;
        this.symmetric = symmetric;
    }

    /**
     * A graph from nodes ({@code id}, {@code label}) and edges ({@code src}, {@code dst}, optional
     * {@code weight}, else 1) naming node ids, under core's edge-list rules: repeated edges summed,
     * self-loops dropped unless kept, then symmetrized.
     *
     * @param blocks how many blocks (Spark partitions) to cut the rows into
     */
    public static SparkGraph fromEdges(Dataset<Row> nodes, Dataset<Row> edges, Symmetrization symmetrization,
                                       boolean keepSelfLoops, int blocks) {
        requireBlocks(blocks);
        return Failures.unwrapped(() -> edgeGraph(nodes, edges, symmetrization, keepSelfLoops, blocks));
    }

    private static SparkGraph edgeGraph(Dataset<Row> nodes, Dataset<Row> edges, Symmetrization symmetrization,
                                        boolean keepSelfLoops, int blocks) {
        SparkSession session = nodes.sparkSession();
        JavaRDD<Node> indexed = index(nodes);
        long n = indexed.count();
        long distinct = indexed.map(Node::id).distinct().count();
        if (distinct != n) {
            throw new DataException("the node table has " + n + " rows but " + distinct + " distinct ids; give each "
                    + "node one row");
        }
        Dataset<Row> ids = session.createDataFrame(indexed.map(v -> RowFactory.create(v.id(), v.index())),
                new StructType().add("id", DataTypes.LongType, false).add("index", DataTypes.LongType, false));
        Dataset<Row> e = edges.select(col("src").cast("long"), col("dst").cast("long"),
                Arrays.asList(edges.columns()).contains("weight") ? col("weight").cast("float")
                        : org.apache.spark.sql.functions.lit(1f).as("weight"));
        Dataset<Row> joined = e.join(ids.withColumnRenamed("id", "src").withColumnRenamed("index", "s"), "src")
                .join(ids.withColumnRenamed("id", "dst").withColumnRenamed("index", "d"), "dst");
        List<Row> unknown = e.join(ids.withColumnRenamed("id", "src"), "src", "left_anti")
                .limit(1).collectAsList();
        if (unknown.isEmpty()) {
            unknown = e.join(ids.withColumnRenamed("id", "dst"), "dst", "left_anti").limit(1).collectAsList();
        }
        if (!unknown.isEmpty()) {
            Row r = unknown.get(0);
            throw new DataException("edge (" + r.get(r.fieldIndex("src")) + ", " + r.get(r.fieldIndex("dst"))
                    + ") names a node id that is not in the node table");
        }
        JavaRDD<Edge> raw = joined.javaRDD().map(r -> {
            float w = r.getFloat(r.fieldIndex("weight"));
            if (!(w >= 0f) || Float.isInfinite(w)) {
                throw new DataException("edge (" + r.getLong(r.fieldIndex("src")) + ", "
                        + r.getLong(r.fieldIndex("dst")) + ") has weight " + w + "; weights must be finite and >= 0");
            }
            return new Edge(r.getLong(r.fieldIndex("s")), r.getLong(r.fieldIndex("d")), w);
        });
        JavaRDD<Edge> ready = EdgeLists.symmetrize(EdgeLists.sumRepeats(raw, keepSelfLoops), symmetrization);
        return new SparkGraph(session, BlockedGraph.build(ready, indexed, n, BlockedGraph.blockRows(n, blocks)),
                OptionalDouble.empty(), symmetrization != Symmetrization.NONE);
    }

    /**
     * The kNN graph of feature vectors: rows ({@code id}, {@code features} array of float, {@code label}),
     * built as core's {@link KnnGraph#build} would with these options: exact search as blocked all-pairs, an
     * {@link org.labelprop.core.search.InvertedFile} distributed by list; then core's weights and
     * symmetrization. The recall of an approximate graph is estimated on {@code options.recallSample()} rows.
     */
    public static SparkGraph fromFeatures(Dataset<Row> rows, KnnGraph.Options options, int blocks) {
        requireBlocks(blocks);
        return Failures.unwrapped(() -> DistributedKnn.graph(rows, options, blocks));
    }

    static void requireBlocks(int blocks) {
        if (blocks < 1) {
            throw new InvalidOptionException("SparkGraph.blocks", "must be at least 1, got " + blocks);
        }
    }

    /** Rows numbered in the order given, each keeping its id and label. */
    static JavaRDD<Node> index(Dataset<Row> nodes) {
        return nodes.select(col("id").cast("long"), col("label").cast("int")).javaRDD().zipWithIndex()
                .map(t -> {
                    Row r = t._1();
                    if (r.isNullAt(0)) {
                        throw new DataException("node " + (t._2() + 1) + " has no id");
                    }
                    return new Node(t._2(), r.getLong(0), r.isNullAt(1) ? -1 : label(r.getLong(0), r.getInt(1)));
                });
    }

    /** A row's label as given, checked: a class >= 0, or -1 for unlabeled. */
    static int label(long id, int label) {
        if (label < -1) {
            throw new DataException("row id " + id + " has label " + label + "; labels are >= 0, or -1 for unlabeled");
        }
        return label;
    }

    SparkSession session() {
        return session;
    }

    BlockedGraph blocked() {
        return blocked;
    }

    public long rows() {
        return blocked.rows;
    }

    /** Edges as stored, each direction counted. */
    public long edges() {
        return blocked.blocks.map(GraphBlock::edges).reduce(Long::sum);
    }

    public int blocks() {
        return blocked.blockCount;
    }

    /** Estimated recall@k of an approximate kNN graph; empty for exact and given graphs. */
    /**
     * Whether the graph is known to be symmetric (symmetrized when built), as core's
     * {@code CsrGraph.symmetricStructure}: spreading takes momentum steps only on such graphs.
     */
    public boolean symmetric() {
        return symmetric;
    }

    public OptionalDouble recall() {
        return recall;
    }

    /**
     * Halo rows summed over all blocks (each block counts every row of another block it reads), over all
     * rows: how many rows' values a step moves between blocks per row. It can exceed 1 (a row read by several
     * blocks); it is lower when rows are numbered so that neighbours share a block.
     */
    public double haloShare() {
        long[] t = blocked.blocks.map(b -> new long[] {b.haloRows(), b.rows()})
                .reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        return (double) t[0] / t[1];
    }

    /** The graph as an edge list ({@link #EDGE_SCHEMA}, by node id): save it and reload with the nodes. */
    public Dataset<Row> edgeList() {
        long blockRows = blocked.blockRows;
        // A block knows its halo rows by index only: edges leave by global index and are mapped to ids by join.
        JavaRDD<Row> rows = blocked.blocks.flatMap(b -> {
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < b.rows(); i++) {
                for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                    out.add(RowFactory.create(b.first + i, b.globalIndex(b.col[e], blockRows), b.weight[e]));
                }
            }
            return out.iterator();
        });
        Dataset<Row> byIndex = session.createDataFrame(rows, EDGE_SCHEMA);
        Dataset<Row> ids = nodeIndex();
        return byIndex.join(ids.withColumnRenamed("index", "src").withColumnRenamed("id", "src_id"), "src")
                .join(ids.withColumnRenamed("index", "dst").withColumnRenamed("id", "dst_id"), "dst")
                .select(col("src_id").as("src"), col("dst_id").as("dst"), col("weight"));
    }

    /** The node table in row order ({@link #NODE_SCHEMA}): save it beside the edge list. */
    public Dataset<Row> nodes() {
        JavaRDD<Row> rows = blocked.blocks.flatMap(b -> {
            List<Row> out = new ArrayList<>(b.rows());
            for (int i = 0; i < b.rows(); i++) {
                out.add(RowFactory.create(b.ids[i], b.labels[i]));
            }
            return out.iterator();
        });
        return session.createDataFrame(rows, NODE_SCHEMA);
    }

    private Dataset<Row> nodeIndex() {
        JavaRDD<Row> rows = blocked.blocks.flatMap(b -> {
            List<Row> out = new ArrayList<>(b.rows());
            for (int i = 0; i < b.rows(); i++) {
                out.add(RowFactory.create(b.ids[i], b.first + i));
            }
            return out.iterator();
        });
        return session.createDataFrame(rows,
                new StructType().add("id", DataTypes.LongType, false).add("index", DataTypes.LongType, false));
    }

    /** Frees the cached blocks. */
    public void unpersist() {
        blocked.unpersist();
    }
}
