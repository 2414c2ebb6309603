package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.testing.TestData;

/** Self-training equals the same rounds written out by hand: fit, priors, surest share per class, refit. */
class GraphSelfTrainingTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());
    private static final GraphSelfTraining.Algorithm SPREADING = (b, g, l, p) -> LabelSpreading.fit(b, g, l,
            LabelSpreading.Options.defaults(), p);

    @Test
    void equalsTheRoundsWrittenOut() {
        int n = 60;
        int c = 3;
        CsrGraph w = FixedPointTest.connected(n, 11);
        Labels given = Labels.of(TestData.fewLabels(n, c, 1), "labels");
        GraphSelfTraining.Options options = new GraphSelfTraining.Options(0.25, 2, ClassPriors.UNIFORM);
        PropagationResult got = GraphSelfTraining.fit(REF, w, given, SPREADING, options, Progress.NONE);
        assertArrayEquals(reference(w, given, options).distribution(), got.prediction().distribution());
    }

    /**
     * The defaults (every row, one round) as a closed form: spreading again with each unlabeled row labeled by
     * the first fit's decision under the priors; and a second round changes nothing.
     */
    @Test
    void theDefaultsSpreadTheFirstDecisionAgain() {
        int n = 60;
        CsrGraph w = FixedPointTest.connected(n, 5);
        Labels given = Labels.of(TestData.fewLabels(n, 3, 1), "labels");
        GraphSelfTraining.Options options = GraphSelfTraining.Options.defaults();
        Prediction first = options.priors().apply(SPREADING.fit(REF, w, given, Progress.NONE).prediction(), given);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = given.isLabeled(i) ? given.classLabel(given.column(i)) : first.label()[i];
        }
        float[] want = SPREADING.fit(REF, w, Labels.of(all, "decided"), Progress.NONE).prediction().distribution();
        assertArrayEquals(want, GraphSelfTraining.fit(REF, w, given, SPREADING, options, Progress.NONE)
                .prediction().distribution());
        assertArrayEquals(want, GraphSelfTraining.fit(REF, w, given, SPREADING,
                new GraphSelfTraining.Options(1, 3, options.priors()), Progress.NONE).prediction().distribution());
    }

    @Test
    void noRoundsIsTheAlgorithmAlone() {
        CsrGraph w = FixedPointTest.connected(40, 3);
        Labels given = Labels.of(TestData.fewLabels(40, 3, 1), "labels");
        PropagationResult got = GraphSelfTraining.fit(REF, w, given, SPREADING,
                new GraphSelfTraining.Options(0.5, 0, ClassPriors.LABELED), Progress.NONE);
        assertArrayEquals(SPREADING.fit(REF, w, given, Progress.NONE).prediction().distribution(),
                got.prediction().distribution());
    }

    @Test
    void optionsNameTheirParameter() {
        assertEquals("GraphSelfTraining.Options.share", assertThrows(InvalidOptionException.class,
                () -> new GraphSelfTraining.Options(0, 1, ClassPriors.LABELED)).parameter());
        assertEquals("GraphSelfTraining.Options.share", assertThrows(InvalidOptionException.class,
                () -> new GraphSelfTraining.Options(1.5, 1, ClassPriors.LABELED)).parameter());
        assertEquals("GraphSelfTraining.Options.rounds", assertThrows(InvalidOptionException.class,
                () -> new GraphSelfTraining.Options(0.1, -1, ClassPriors.LABELED)).parameter());
    }

    /**
     * Plain loops: per round and class, the unlabeled rows predicted in it (after priors) ordered by
     * decreasing probability by selection, ties to the lower row, the first round(share * count) labeled.
     */
    private static Prediction reference(CsrGraph w, Labels given, GraphSelfTraining.Options options) {
        int n = given.rows();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = given.isLabeled(i) ? given.classLabel(given.column(i)) : -1;
        }
        Labels labels = given;
        for (int round = 0; round < options.rounds(); round++) {
            Prediction p = options.priors().apply(SPREADING.fit(REF, w, labels, Progress.NONE).prediction(), given);
            int[] next = y.clone();
            for (int k = 0; k < given.classCount(); k++) {
                List<Integer> rows = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (y[i] < 0 && p.label()[i] == p.classes()[k]) {
                        rows.add(i);
                    }
                }
                long take = Math.round(options.share() * rows.size());
                for (int t = 0; t < take; t++) {
                    int best = -1;
                    for (int i : rows) {
                        if (best < 0 || p.probability(i, k) > p.probability(best, k)) {
                            best = i;
                        }
                    }
                    rows.remove(Integer.valueOf(best));
                    next[best] = p.classes()[k];
                }
            }
            y = next;
            labels = Labels.of(y, "reference");
        }
        return SPREADING.fit(REF, w, labels, Progress.NONE).prediction();
    }
}
