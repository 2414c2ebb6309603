package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.data.Dataset;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.data.Synthetic;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;

class PoissonMboTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());

    /** Three clusters of unequal size, one label each: the threshold keeps the priors' class sizes. */
    @Test
    void keepsTheClassSizesOfThePriorsAndLabelsClustersRight() {
        Dataset d = Synthetic.gaussianClusters(900, 4, 3, 7);
        CsrGraph g = KnnGraph.build(REF, d.features(), KnnGraph.Options.defaults(), Progress.NONE).graph();
        int[] truth = d.truth();
        Labels labels = Labels.of(LabelSplit.perClass(truth, 1, 3), "labels");
        double[] share = new double[3];
        for (int t : truth) {
            share[t] += 1.0 / truth.length;
        }
        java.util.Map<Integer, Double> byLabel = java.util.Map.of(0, share[0], 1, share[1], 2, 1 - share[0] - share[1]);
        PoissonMbo.Options o = new PoissonMbo.Options(PoissonLearning.Options.defaults(), 5, 20, 1,
                ClassPriors.of(byLabel, "truth"));
        Prediction p = PoissonMbo.fit(REF, g, labels, o, Progress.NONE).prediction();
        for (int k = 0; k < 3; k++) {
            final int cls = k;
            long count = IntStream.of(p.label()).filter(l -> l == cls).count();
            assertEquals(share[k] * truth.length, count, 2, "class " + k);
        }
        assertTrue(p.accuracy(truth, IntStream.range(0, truth.length).toArray()) > 0.95);
    }

    @Test
    void optionsNameTheirParameter() {
        assertEquals("PoissonMbo.Options.inner", assertThrows(InvalidOptionException.class,
                () -> new PoissonMbo.Options(PoissonLearning.Options.defaults(), 20, 0, 1, ClassPriors.LABELED))
                .parameter());
    }
}
