package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
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

/**
 * Classes made of several clusters, one label per class to start: the suggested rows find the clusters no
 * label reaches yet, and beat as many rows drawn at random.
 */
class ActiveLearningTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());
    private static final int CLASSES = 4;
    private static final int ROUNDS = 3;
    private static final int BATCH = 4;

    @Test
    void suggestionsBeatRandomRowsOnClustersOfClusters() {
        double suggested = 0;
        double random = 0;
        for (long seed = 1; seed <= 3; seed++) {
            Dataset d = Synthetic.gaussianClusters(1200, 6, 3 * CLASSES, seed);
            int[] truth = IntStream.of(d.truth()).map(c -> c % CLASSES).toArray();
            CsrGraph g = KnnGraph.build(REF, d.features(), KnnGraph.Options.defaults(), Progress.NONE).graph();
            int[] start = LabelSplit.perClass(truth, 1, seed);
            suggested += accuracyAfterRounds(g, truth, start, null);
            random += accuracyAfterRounds(g, truth, start, new SplittableRandom(seed));
        }
        assertTrue(suggested > random + 0.05 * 3, "suggested " + suggested / 3 + " vs random " + random / 3);
    }

    /** Labels BATCH rows a round, suggested (random null) or drawn at random, and refits; accuracy on all rows. */
    private static double accuracyAfterRounds(CsrGraph g, int[] truth, int[] start, SplittableRandom random) {
        int[] known = start.clone();
        for (int round = 0; round <= ROUNDS; round++) {
            Labels labels = Labels.of(known, "labels");
            Prediction p = PoissonLearning.fit(REF, g, labels, PoissonLearning.Options.defaults(), Progress.NONE)
                    .prediction();
            if (round == ROUNDS) {
                return p.accuracy(truth, IntStream.range(0, truth.length).toArray());
            }
            int[] rows = random == null ? ActiveLearning.suggest(g, labels, p, BATCH)
                    : random.ints(0, truth.length).filter(i -> known[i] < 0).distinct().limit(BATCH).toArray();
            for (int r : rows) {
                assertTrue(known[r] < 0, "row " + r + " was labeled already");
                known[r] = truth[r];
            }
        }
        throw new AssertionError();
    }

    @Test
    void aBudgetPastTheUnlabeledRowsIsOneClearError() {
        Dataset d = Synthetic.gaussianClusters(50, 3, 2, 4);
        CsrGraph g = KnnGraph.build(REF, d.features(), KnnGraph.Options.defaults(), Progress.NONE).graph();
        Labels labels = Labels.of(LabelSplit.perClass(d.truth(), 5, 1), "labels");
        Prediction p = PoissonLearning.fit(REF, g, labels, PoissonLearning.Options.defaults(), Progress.NONE).prediction();
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> ActiveLearning.suggest(g, labels, p, 41));
        assertEquals("ActiveLearning.budget is 41 but only 40 rows are unlabeled", e.getMessage());
        assertEquals(40, IntStream.of(ActiveLearning.suggest(g, labels, p, 40)).distinct().count());
    }
}
