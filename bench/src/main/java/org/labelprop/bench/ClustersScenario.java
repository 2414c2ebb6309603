package org.labelprop.bench;

import org.labelprop.core.backend.Backend;
import org.labelprop.core.data.Dataset;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.data.Synthetic;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.search.KnnGraph;

/** 1,000,000 x 128 Gaussian clusters (100 of them, seed 7): graph building at a size past brute force on a CPU. */
final class ClustersScenario {
    private ClustersScenario() {
    }

    /**
     * The approximate graph: how fast an inverted file builds it and how good it is, recall estimated on 200
     * rows. Isotropic clusters in 128 dimensions are the hard case for NN-Descent (recall 0.88 in 268 s with a
     * pool of 3k, docs/benchmarks.md); the inverted file's exact tiles do not mind the dimension.
     */
    static void approximate(Backend backend, ScenarioRunner.Options options, BenchReport report) {
        String name = Scenario.CLUSTERS_1M.id();
        Dataset data = generate(backend, name, options, report);
        KnnGraph.Options graph = KnnGraph.Options.defaults().withSearch(InvertedFile.withDefaults()).withSeed(1);
        report.record(name, "knn_seconds", GraphStage.run(backend, data.features(), graph, name, report)
                .searchSeconds());
    }

    /**
     * The exact graph (a GPU's scenario: 2.6e14 multiply-adds), then label spreading from 10 labels per
     * cluster (100 classes).
     */
    static void exact(Backend backend, ScenarioRunner.Options options, double triadGBs, BenchReport report) {
        String name = Scenario.CLUSTERS_1M_EXACT.id();
        Dataset data = generate(backend, name, options, report);
        GraphStage built = GraphStage.run(backend, data.features(), KnnGraph.Options.defaults(), name, report);
        report.record(name, "knn_seconds", built.searchSeconds());
        SpreadingStage.run(backend, name, built.built().graph(), LabelSplit.perClass(data.truth(), 10, 1),
                data.truth(), triadGBs, report);
    }

    /** Generated on the backend's workers, so the run starts no threads of its own (no common pool). */
    private static Dataset generate(Backend backend, String name, ScenarioRunner.Options options,
                                    BenchReport report) {
        int n = options.rowsOr(1_000_000);
        long t0 = System.nanoTime();
        Dataset data = backend.workers().submit(() -> Synthetic.gaussianClusters(n, 128, 100, 7)).join();
        report.stage(name, "generate " + n + " x 128", t0, "100 clusters");
        return data;
    }
}
