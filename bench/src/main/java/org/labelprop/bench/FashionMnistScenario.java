package org.labelprop.bench;

import java.io.IOException;
import org.labelprop.core.DataException;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.data.Dataset;
import org.labelprop.core.data.FashionMnist;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.io.NpyFile;
import org.labelprop.core.search.ExactSearch;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.search.KnnGraph;

/**
 * Fashion-MNIST end to end, as bench/scripts/compare-sklearn.sh sets it against scikit-learn: the 70,000
 * images, 10 labels per class (LabelSplit seed 1), the default graph (exact, which prunes pairs by a lower bound;
 * exact over all pairs; or an inverted file with its recall estimated on 500 rows), label spreading with the
 * defaults, accuracy on the hidden rows.
 */
final class FashionMnistScenario {
    private FashionMnistScenario() {
    }

    /** {@code scenario}: {@link Scenario#FASHION_MNIST}, its all-pairs or its approximate form. */
    static void run(Backend backend, Scenario scenario, ScenarioRunner.Options options, double triadGBs,
                    BenchReport report) throws IOException {
        String name = scenario.id();
        if (!FashionMnist.isPresent(FashionMnist.DEFAULT_DIR)) {
            throw new DataException(FashionMnist.DEFAULT_DIR + ": Fashion-MNIST not installed "
                    + "(apt-get install dataset-fashion-mnist)");
        }
        long t0 = System.nanoTime();
        Dataset data = FashionMnist.load(FashionMnist.DEFAULT_DIR, options.rowsOr(70_000));
        report.stage(name, "load", t0, "");
        KnnGraph.Options graph = switch (scenario) {
            case FASHION_MNIST_APPROX -> KnnGraph.Options.defaults().withSearch(InvertedFile.withDefaults())
                    .withRecallSample(500).withSeed(1);
            case FASHION_MNIST_ALL_PAIRS -> KnnGraph.Options.defaults().withSearch(ExactSearch.ALL_PAIRS);
            case FASHION_MNIST -> KnnGraph.Options.defaults();
            default -> throw new IllegalArgumentException(name + " is not a Fashion-MNIST scenario");
        };
        GraphStage built = GraphStage.run(backend, data.features(), graph, name, report);
        int[] labels = LabelSplit.perClass(data.truth(), 10, 1);
        if (options.labelsOut() != null) {
            NpyFile.writeInts(options.labelsOut(), labels);
        }
        SpreadingStage.run(backend, name, built.built().graph(), labels, data.truth(), triadGBs, report);
    }
}
