package org.labelprop.bench;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.NeighborSearch;
import org.labelprop.core.search.PrunedExactSearch;

/**
 * A scenario's kNN graph, built the one way every caller builds one ({@link KnnGraph#build}), with its parts
 * timed apart through the progress the build reports: the neighbour search, then weights and
 * symmetrization, then the recall estimate of an approximate search.
 *
 * @param built the graph, its neighbour lists and recall
 * @param searchSeconds from the call until the search's stage finished: everything before the search counts
 *     with it (an inverted file's k-means, which runs before its stage starts); the exact re-computation of
 *     the chosen neighbours' distances, which follows the stage, counts with the weights
 */
record GraphStage(KnnGraph built, double searchSeconds) {
    static GraphStage run(Backend backend, FloatMatrix x, KnnGraph.Options options, String scenario,
                          BenchReport report) {
        StageClock clock = new StageClock();
        long t0 = System.nanoTime();
        KnnGraph built = KnnGraph.build(backend, x, options, clock);
        long end = System.nanoTime();
        long searched = clock.searchEnd != 0 ? clock.searchEnd : end;
        long weighted = clock.recallStart != 0 ? clock.recallStart : end;
        double search = (searched - t0) / 1e9;
        int k = built.neighbors().k();
        if (options.search().exact()) {
            int n = x.rows();
            double gflops = 2.0 * n * n * x.cols() / search / 1e9;
            if (clock.pruned) {
                // Not the tiles' rate: most pairs were never multiplied.
                report.record(scenario, "knn_all_pairs_equivalent_GFLOPs", gflops);
                report.stage(scenario, "kNN graph (exact)", search,
                        String.format("pruned by a lower bound: %.0f GFLOP/s all-pairs equivalent", gflops));
            } else {
                report.record(scenario, "knn_GFLOPs", gflops);
                report.stage(scenario, "kNN graph (exact)", search, String.format("all pairs: %.0f GFLOP/s", gflops));
            }
        } else {
            report.record(scenario, "recall_at_" + k, built.recall());
            report.stage(scenario, "kNN graph (" + method(options.search()) + ")", search,
                    String.format("recall@%d %.4f (%d rows)", k, built.recall(), Math.min(options.recallSample(),
                            x.rows())));
        }
        report.stage(scenario, "weights + symmetrization", (weighted - searched) / 1e9, built.graph().edges()
                + " edges");
        if (clock.recallStart != 0) {
            report.stage(scenario, "recall estimate", (clock.recallEnd - clock.recallStart) / 1e9,
                    "against exact search");
        }
        return new GraphStage(built, search);
    }

    private static String method(NeighborSearch search) {
        return search instanceof InvertedFile ? "inverted file" : search.toString();
    }

    /**
     * When the search's stage and the recall stage ended. Only the stages' edges matter, never their
     * progress; a search that reports more than one stage ends with its last.
     */
    private static final class StageClock implements Progress {
        private boolean recalling;
        /** Whether the exact search pruned pairs by its lower bound ({@link PrunedExactSearch#STAGE}). */
        private boolean pruned;
        private long searchEnd;
        private long recallStart;
        private long recallEnd;

        @Override
        public synchronized void start(String stage, long total) {
            // The last search stage decides: a pruned search that declines is followed by the all-pairs one's.
            if (!stage.equals(KnnGraph.RECALL_STAGE)) {
                pruned = stage.equals(PrunedExactSearch.STAGE);
            }
            if (stage.equals(KnnGraph.RECALL_STAGE)) {
                recalling = true;
                recallStart = System.nanoTime();
            }
        }

        @Override
        public void advance(long amount) {
        }

        @Override
        public synchronized void finish() {
            if (recalling) {
                recallEnd = System.nanoTime();
                recalling = false;
            } else {
                searchEnd = System.nanoTime();
            }
        }
    }
}
