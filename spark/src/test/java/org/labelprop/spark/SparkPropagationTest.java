package org.labelprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.labelprop.core.DataException;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.Convergence;
import org.labelprop.core.algo.LabelPropagation;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.data.Synthetic;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.search.KnnGraph;
import org.junit.jupiter.api.Test;

/** Spark's propagation against core's on the same graph: the oracle is the single-machine engine. */
class SparkPropagationTest {
    /** The session the cases build their tables in: the shared local one unless a test runs its own. */
    static final ThreadLocal<SparkSession> SPARK_OVERRIDE = new ThreadLocal<>();
    static final ReferenceBackend REFERENCE = new ReferenceBackend(java.util.concurrent.ForkJoinPool.commonPool());

    static SparkSession spark() {
        return SPARK_OVERRIDE.get() != null ? SPARK_OVERRIDE.get() : LocalSpark.session();
    }

    /** A kNN graph of generated curves from core, and labels for 5 rows per class. */
    record Case(CsrGraph graph, int[] labels) {
        static Case curves(int perClass, long seed) {
            org.labelprop.core.data.Dataset data = Synthetic.curves(4, perClass, 8, 0.05f, seed);
            CsrGraph g = KnnGraph.build(REFERENCE, data.features(), KnnGraph.Options.defaults(),
                    Progress.NONE).graph();
            return new Case(g, LabelSplit.perClass(data.truth(), 5, seed));
        }

        Dataset<Row> nodes() {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                // Ids far from row numbers: the engine must carry them, not assume them.
                rows.add(RowFactory.create(1000L + 7L * i, labels[i]));
            }
            return spark().createDataFrame(rows, SparkGraph.NODE_SCHEMA);
        }

        Dataset<Row> edges() {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < graph.rows(); i++) {
                for (int e = graph.rowPtr()[i]; e < graph.rowPtr()[i + 1]; e++) {
                    rows.add(RowFactory.create(1000L + 7L * i, 1000L + 7L * graph.col()[e], graph.weight()[e]));
                }
            }
            return spark().createDataFrame(rows, SparkGraph.EDGE_SCHEMA);
        }

        /** Core's graph, symmetric already: max(W, W^T) keeps its weights and marks it symmetric, as core's is. */
        SparkGraph sparkGraph(int blocks) {
            return SparkGraph.fromEdges(nodes(), edges(), Symmetrization.MAX, true, blocks);
        }
    }

    /** Rows of a prediction table in id order, as core's Prediction over row numbers. */
    static Prediction collect(Dataset<Row> predictions, int[] classes, int n) {
        List<Row> rows = predictions.orderBy("id").collectAsList();
        assertEquals(n, rows.size());
        float[] dist = new float[n * classes.length];
        for (int i = 0; i < n; i++) {
            List<Float> d = rows.get(i).getList(3);
            for (int k = 0; k < classes.length; k++) {
                dist[i * classes.length + k] = d.get(k);
            }
        }
        return Prediction.of(classes, dist);
    }

    static void assertSame(PropagationResult expected, SparkPropagation.Result actual, int n) {
        Prediction want = expected.prediction();
        Prediction got = collect(actual.predictions(), want.classes(), n);
        assertEquals(expected.iterations(), actual.iterations(), "iterations");
        assertEquals(expected.converged(), actual.converged(), "converged");
        for (int i = 0; i < want.distribution().length; i++) {
            assertEquals(want.distribution()[i], got.distribution()[i], 1e-5, "entry " + i);
        }
        assertArrayEquals(want.label(), got.label());
        // Labels and confidences come out of Spark's own columns too, not only the distribution.
        List<Row> rows = actual.predictions().orderBy("id").collectAsList();
        for (int i = 0; i < n; i++) {
            assertEquals(want.label()[i], rows.get(i).getInt(1), "label of row " + i);
            assertEquals(want.confidence()[i], rows.get(i).getFloat(2), 1e-5, "confidence of row " + i);
        }
    }

    @Test
    void spreadingEqualsCoreOnTheSameGraphWhateverTheBlocks() {
        Case c = Case.curves(60, 3);
        // alpha 0.9 converges in a few dozen momentum steps; each step is a Spark job.
        LabelSpreading.Options options = new LabelSpreading.Options(0.9f, 1e-5, 1000, Convergence.RELATIVE_CHANGE,
                true, true);
        PropagationResult core = LabelSpreading.fit(REFERENCE, c.graph(), Labels.of(c.labels(), "t"),
                options, Progress.NONE);
        for (int blocks : new int[] {1, 5}) { // 1: no halo at all; 5: most rows have neighbours elsewhere
            SparkGraph g = c.sparkGraph(blocks);
            assertEquals(blocks, g.blocks());
            assertSame(core, SparkPropagation.spread(g, options, SparkPropagation.Options.defaults()), c.labels().length);
            g.unpersist();
        }
    }

    @Test
    void propagationEqualsCoreWithClampingAndWithoutMassNormalization() {
        Case c = Case.curves(50, 5);
        LabelPropagation.Options options = new LabelPropagation.Options(1e-3, 500, Convergence.TOTAL_CHANGE, false);
        PropagationResult core = LabelPropagation.fit(REFERENCE, c.graph(), Labels.of(c.labels(), "t"),
                options, Progress.NONE);
        SparkGraph g = c.sparkGraph(4);
        assertSame(core, SparkPropagation.propagate(g, options, SparkPropagation.Options.defaults()),
                c.labels().length);
        g.unpersist();
    }

    @Test
    void sklearnOptionsStopAtTheSameIterationAsCore() {
        Case c = Case.curves(40, 9);
        LabelSpreading.Options options = LabelSpreading.Options.sklearn();
        PropagationResult core = LabelSpreading.fit(REFERENCE, c.graph(), Labels.of(c.labels(), "t"),
                options, Progress.NONE);
        SparkGraph g = c.sparkGraph(2);
        assertSame(core, SparkPropagation.spread(g, options, SparkPropagation.Options.defaults()), c.labels().length);
        g.unpersist();
    }

    @Test
    void poissonLearningEqualsCoreWithItsWalkAndSteps() {
        Case c = Case.curves(40, 13);
        // One label per class: the regime Poisson learning is for.
        int[] one = new int[c.labels().length];
        java.util.Arrays.fill(one, -1);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < one.length; i++) {
            if (c.labels()[i] >= 0 && seen.add(c.labels()[i])) {
                one[i] = c.labels()[i];
            }
        }
        Case few = new Case(c.graph(), one);
        org.labelprop.core.algo.PoissonLearning.Options options = org.labelprop.core.algo.PoissonLearning.Options.defaults();
        PropagationResult core = org.labelprop.core.algo.PoissonLearning.fit(REFERENCE, few.graph(),
                Labels.of(one, "t"), options, Progress.NONE);
        SparkGraph g = few.sparkGraph(3);
        assertSame(core, SparkPropagation.poisson(g, options, SparkPropagation.Options.defaults()), one.length);
        g.unpersist();
    }

    /**
     * A long run keeps a short lineage: checkpoints cut it, so 300 iterations end with the same depth of
     * dependencies as 30 (without them it grows with every iteration until the driver's stack overflows).
     * With momentum, whose steps also read the state of the step before.
     */
    @Test
    void longRunsKeepTheirLineageShort() {
        Case c = Case.curves(20, 11);
        SparkGraph g = c.sparkGraph(3);
        // tol 0: never converges, so exactly maxIter steps run.
        SparkPropagation.Result short30 = SparkPropagation.spread(g,
                new LabelSpreading.Options(0.99f, 0, 30, Convergence.TOTAL_CHANGE, false, true),
                SparkPropagation.Options.defaults());
        SparkPropagation.Result long300 = SparkPropagation.spread(g,
                new LabelSpreading.Options(0.99f, 0, 300, Convergence.TOTAL_CHANGE, false, true),
                SparkPropagation.Options.defaults());
        assertEquals(300, long300.iterations());
        assertEquals(300, long300.iterationSeconds().length);
        int depth30 = depth(short30.predictions().rdd());
        int depth300 = depth(long300.predictions().rdd());
        assertEquals(depth30, depth300, "lineage depth after 30 and after 300 iterations");
        g.unpersist();
    }

    private static int depth(RDD<?> rdd) {
        int best = 0;
        scala.collection.Iterator<org.apache.spark.Dependency<?>> it = rdd.dependencies().iterator();
        while (it.hasNext()) {
            best = Math.max(best, depth(it.next().rdd()));
        }
        return best + 1;
    }

    @Test
    void edgesNamingUnknownNodesAreOneClearError() {
        Case c = Case.curves(10, 1);
        List<Row> bad = new ArrayList<>(c.edges().collectAsList());
        bad.add(RowFactory.create(1000L, 5L, 1f));
        DataException e = assertThrows(DataException.class, () -> SparkGraph.fromEdges(c.nodes(),
                spark().createDataFrame(bad, SparkGraph.EDGE_SCHEMA), Symmetrization.NONE, true, 2));
        assertTrue(e.getMessage().contains("(1000, 5)") && e.getMessage().contains("not in the node table"),
                e.getMessage());
    }

    @Test
    void repeatedIdsAndLabelsBelowMinusOneAreOneClearError() {
        Case c = Case.curves(10, 1);
        List<Row> twice = new ArrayList<>(c.nodes().collectAsList());
        twice.add(twice.get(0));
        DataException e = assertThrows(DataException.class, () -> SparkGraph.fromEdges(
                spark().createDataFrame(twice, SparkGraph.NODE_SCHEMA), c.edges(), Symmetrization.NONE, true, 2));
        assertEquals("the node table has 41 rows but 40 distinct ids; give each node one row", e.getMessage());
        List<Row> bad = new ArrayList<>(c.nodes().collectAsList());
        bad.set(3, RowFactory.create(bad.get(3).getLong(0), -4));
        // Found inside a task: the library rethrows the DataException itself, not Spark's wrapper.
        e = assertThrows(DataException.class, () -> SparkGraph.fromEdges(
                spark().createDataFrame(bad, SparkGraph.NODE_SCHEMA), c.edges(), Symmetrization.NONE, true, 2));
        assertEquals("row id 1021 has label -4; labels are >= 0, or -1 for unlabeled", e.getMessage());
    }

    @Test
    void symmetrizationAndRepeatsFollowCoresEdgeListRules() {
        // Directed edges with a repeat and a self-loop: core sums the repeat, drops the loop, averages W and W^T.
        int[] src = {0, 0, 1, 2, 2, 3};
        int[] dst = {1, 1, 2, 2, 0, 0};
        float[] w = {1f, 2f, 4f, 9f, 8f, 0.5f};
        CsrGraph core = org.labelprop.core.graph.GraphBuilder.fromEdges(4, src, dst, w, Symmetrization.AVERAGE, false);
        List<Row> edges = new ArrayList<>();
        for (int e = 0; e < src.length; e++) {
            edges.add(RowFactory.create((long) src[e], (long) dst[e], w[e]));
        }
        List<Row> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(RowFactory.create((long) i, i == 0 ? 0 : i == 3 ? 1 : -1));
        }
        SparkGraph g = SparkGraph.fromEdges(spark().createDataFrame(nodes, SparkGraph.NODE_SCHEMA),
                spark().createDataFrame(edges, SparkGraph.EDGE_SCHEMA), Symmetrization.AVERAGE, false, 2);
        List<Row> got = g.edgeList().orderBy("src", "dst").collectAsList();
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (int e = core.rowPtr()[i]; e < core.rowPtr()[i + 1]; e++) {
                want.add(i + "->" + core.col()[e] + ":" + core.weight()[e]);
            }
        }
        List<String> have = new ArrayList<>();
        for (Row r : got) {
            have.add(r.getLong(0) + "->" + r.getLong(1) + ":" + r.getFloat(2));
        }
        assertEquals(want, have);
        g.unpersist();
    }
}
