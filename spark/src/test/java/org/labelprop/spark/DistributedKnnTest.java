package org.labelprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.data.Synthetic;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.Metric;

/** Spark's kNN graphs against core's: the exact graph edge for edge, the inverted file by recall. */
class DistributedKnnTest {

    static Dataset<Row> rows(FloatMatrix x) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            float[] f = new float[x.cols()];
            System.arraycopy(x.data(), i * x.cols(), f, 0, x.cols());
            rows.add(RowFactory.create((long) i, f, i % 50 == 0 ? i % 3 : -1));
        }
        return LocalSpark.session().createDataFrame(rows, SparkGraph.FEATURE_SCHEMA);
    }

    /** "i->j:w" for every stored edge of a Spark graph, sorted. */
    static List<String> edges(SparkGraph g) {
        List<String> out = new ArrayList<>();
        for (Row r : g.edgeList().orderBy("src", "dst").collectAsList()) {
            out.add(r.getLong(0) + "->" + r.getLong(1) + ":" + r.getFloat(2));
        }
        return out;
    }

    static List<String> edges(CsrGraph g) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < g.rows(); i++) {
            for (int e = g.rowPtr()[i]; e < g.rowPtr()[i + 1]; e++) {
                out.add(i + "->" + g.col()[e] + ":" + g.weight()[e]);
            }
        }
        return out;
    }

    @Test
    void exactGraphIsCoresGraphEdgeForEdge() {
        FloatMatrix x = Synthetic.gaussianClusters(500, 12, 5, 3).features();
        for (KnnGraph.Options options : List.of(KnnGraph.Options.defaults(), KnnGraph.Options.sklearn(7),
                KnnGraph.Options.defaults().withMetric(Metric.COSINE)
                        .withWeights(Weighting.SELF_TUNING, 1f, Symmetrization.MUTUAL))) {
            CsrGraph core = KnnGraph.build(SparkPropagationTest.REFERENCE, x, options, Progress.NONE).graph();
            SparkGraph g = SparkGraph.fromFeatures(rows(x), options, 3);
            assertEquals(edges(core), edges(g), options.toString());
            assertTrue(g.recall().isEmpty(), "no recall estimate for an exact graph");
            g.unpersist();
        }
    }

    /** A graph saved as Parquet (edge list and node table) and loaded again is the same graph. */
    @Test
    void savedGraphLoadsAsTheSameGraph(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        FloatMatrix x = Synthetic.gaussianClusters(300, 6, 3, 5).features();
        SparkGraph g = SparkGraph.fromFeatures(rows(x), KnnGraph.Options.defaults(), 3);
        String edges = dir.resolve("edges.parquet").toString();
        String nodes = dir.resolve("nodes.parquet").toString();
        g.edgeList().write().parquet(edges);
        g.nodes().write().parquet(nodes);
        SparkGraph loaded = SparkGraph.fromEdges(LocalSpark.session().read().parquet(nodes),
                LocalSpark.session().read().parquet(edges), Symmetrization.NONE, true, 2);
        assertEquals(edges(g), edges(loaded));
        assertEquals(g.nodes().orderBy("id").collectAsList(), loaded.nodes().orderBy("id").collectAsList());
        g.unpersist();
        loaded.unpersist();
    }

    @Test
    void invertedFileReachesRecallOnClustersAndEstimatesIt() {
        FloatMatrix x = Synthetic.gaussianClusters(3000, 16, 12, 7).features();
        int k = 10;
        KnnGraph.Options directed = KnnGraph.Options.defaults().withK(k)
                .withWeights(Weighting.BINARY, 1f, Symmetrization.NONE);
        CsrGraph exact = KnnGraph.build(SparkPropagationTest.REFERENCE, x, directed, Progress.NONE).graph();
        SparkGraph g = SparkGraph.fromFeatures(rows(x),
                directed.withSearch(InvertedFile.withDefaults()).withRecallSample(300), 4);
        List<Set<Long>> found = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            found.add(new HashSet<>());
        }
        for (Row r : g.edgeList().collectAsList()) {
            found.get((int) r.getLong(0)).add(r.getLong(1));
        }
        long hit = 0;
        for (int i = 0; i < x.rows(); i++) {
            assertEquals(k, found.get(i).size(), "neighbours of row " + i);
            for (int e = exact.rowPtr()[i]; e < exact.rowPtr()[i + 1]; e++) {
                hit += found.get(i).contains((long) exact.col()[e]) ? 1 : 0;
            }
        }
        double recall = (double) hit / ((long) x.rows() * k);
        assertTrue(recall >= 0.95, "recall " + recall);
        assertTrue(Math.abs(g.recall().orElseThrow() - recall) < 0.03,
                "estimated " + g.recall().orElseThrow() + ", measured " + recall);
        g.unpersist();
    }
}
