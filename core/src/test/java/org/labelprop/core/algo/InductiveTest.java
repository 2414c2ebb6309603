package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.search.Metric;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;
import org.labelprop.core.testing.TestData;

class InductiveTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());

    @Test
    void newRowsTakeTheWeightedAverageOfTheirNeighbours() {
        FloatMatrix train = TestData.blobs(3, 60, 5, 1f, 2);
        CsrGraph g = KnnGraph.build(REF, train, KnnGraph.Options.defaults(), Progress.NONE).graph();
        PropagationResult fitted = LabelSpreading.fit(REF, g, Labels.of(TestData.fewLabels(180, 3, 2), "l"),
                LabelSpreading.Options.defaults(), Progress.NONE);
        FloatMatrix fresh = TestData.blobs(3, 10, 5, 1f, 2);
        KnnGraph.Options options = KnnGraph.Options.defaults().withK(4)
                .withWeights(Weighting.GAUSSIAN, 1.5f, Symmetrization.AVERAGE);
        Prediction p = Inductive.predict(REF, train, fitted, fresh, options, Progress.NONE);

        Neighbors nb = KnnSearch.query(REF, train, fresh, 4, Metric.EUCLIDEAN, Progress.NONE);
        for (int i = 0; i < fresh.rows(); i++) {
            double[] want = new double[3];
            double total = 0;
            for (int j = 0; j < 4; j++) {
                double d = nb.distance(i, j);
                double w = Math.exp(-d * d / (2 * 1.5 * 1.5));
                for (int c = 0; c < 3; c++) {
                    want[c] += w * fitted.prediction().probability(nb.neighbor(i, j), c);
                    total += w * fitted.prediction().probability(nb.neighbor(i, j), c);
                }
            }
            for (int c = 0; c < 3; c++) {
                assertEquals(want[c] / total, p.distribution()[i * 3 + c], 1e-6);
            }
        }
        // Fresh points drawn around the same centres land in the right class.
        int hit = 0;
        for (int i = 0; i < fresh.rows(); i++) {
            if (p.label()[i] == i % 3) {
                hit++;
            }
        }
        assertTrue(hit >= 28, hit + " of 30");
    }
}
