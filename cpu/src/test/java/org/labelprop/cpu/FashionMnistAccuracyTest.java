package org.labelprop.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.data.Dataset;
import org.labelprop.core.data.FashionMnist;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.KnnSearch;

/**
 * Label spreading with the defaults on real data. The full 70,000 images take minutes (measured in
 * docs/benchmarks.md: 74.4% over 3 seeds); CI uses the first 10,000, where the same run measured 71.7%
 * (seeds 1-3: 71.3, 73.1, 70.7). The bar of 70% sits below the worst seed, and the 1-nearest-labeled-
 * neighbour baseline measured 64.9% there: a regression in the graph or the algorithm falls through it.
 */
class FashionMnistAccuracyTest {
    @Test
    void spreadingOnTenThousandImagesWithTenLabelsPerClass() throws IOException {
        Assumptions.assumeTrue(FashionMnist.isPresent(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        Dataset data = FashionMnist.load(FashionMnist.DEFAULT_DIR, 10_000);
        Backend cpu = new CpuBackendProvider().create(new ForkJoinPool(Runtime.getRuntime().availableProcessors()),
                note -> { });
        CsrGraph graph = KnnGraph.build(cpu, data.features(), KnnGraph.Options.defaults(), Progress.NONE).graph();
        double sum = 0;
        for (long seed = 1; seed <= 3; seed++) {
            int[] labels = LabelSplit.perClass(data.truth(), 10, seed);
            sum += LabelSpreading.fit(cpu, graph, Labels.of(labels, "labels"), LabelSpreading.Options.defaults(),
                    Progress.NONE).prediction().accuracy(data.truth(), LabelSplit.hidden(labels));
        }
        double mean = sum / 3;
        assertTrue(mean >= 0.70, "mean accuracy " + mean);
    }
}
