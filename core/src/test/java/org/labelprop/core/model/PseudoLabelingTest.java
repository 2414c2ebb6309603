package org.labelprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.data.LabelSplit;

class PseudoLabelingTest {
    private static final LogisticRegression LOGISTIC = new LogisticRegression(LogisticRegression.Options.defaults());

    @Test
    void eachRoundFitsLabeledPlusWeightedPseudoLabels() {
        FloatMatrix x = Fixtures.blobs(3, 40, 4, 2.5f, 6);
        int[] y = LabelSplit.perClass(Fixtures.blobTruth(120, 3), 3, 2);
        Labels labels = Labels.of(y, "labels");
        PseudoLabeling.Options o = new PseudoLabeling.Options(1, 0.5f, 0, true);
        LabelingResult r = PseudoLabeling.fit(Fixtures.BACKEND, x, labels, null, LOGISTIC, o);

        // By hand: the supervised model's labels for the unlabeled rows, weight 0.5, then one refit.
        Model first = LOGISTIC.fit(Fixtures.BACKEND, TrainingSet.of(x, labels));
        int[] pseudo = first.predict(Fixtures.BACKEND, x).label();
        float[] weight = new float[120];
        for (int i = 0; i < 120; i++) {
            weight[i] = y[i] >= 0 ? 1f : 0.5f;
            pseudo[i] = y[i] >= 0 ? y[i] : pseudo[i];
        }
        Model want = LOGISTIC.fit(Fixtures.BACKEND, new TrainingSet(x, LogisticRegressionTest.range(120), pseudo,
                weight, new int[] {0, 1, 2}));
        assertArrayEquals(want.probabilities(Fixtures.BACKEND, x),
                r.fit().modelForNewRows(Fixtures.BACKEND).probabilities(Fixtures.BACKEND, x), 0f);
        assertArrayEquals(pseudo, r.label());
        assertEquals(111, r.history().get(1).changed());
        assertEquals(111, Arrays.stream(r.history().get(1).perClass()).sum());
        assertEquals(120, r.history().get(1).labeled());
    }

    @Test
    void weightRampsAndTheLoopStopsWhenNothingChanges() {
        PseudoLabeling.Options ramp = new PseudoLabeling.Options(6, 2f, 4, true);
        assertEquals(0.5f, ramp.weightAt(1));
        assertEquals(1.5f, ramp.weightAt(3));
        assertEquals(2f, ramp.weightAt(5));
        FloatMatrix x = Fixtures.blobs(3, 40, 4, 1f, 6);
        Labels labels = Labels.of(LabelSplit.perClass(Fixtures.blobTruth(120, 3), 3, 2), "labels");
        LabelingResult r = PseudoLabeling.fit(Fixtures.BACKEND, x, labels, null, LOGISTIC,
                PseudoLabeling.Options.defaults());
        // Separable blobs: round 1's pseudo-labels are already right, so round 2 changes none and stops.
        assertEquals(StopReason.LABELS_STABLE, r.stop());
        assertEquals(2, r.history().size());
        LabelingResult ramped = PseudoLabeling.fit(Fixtures.BACKEND, x, labels, null, LOGISTIC, ramp);
        assertEquals(0.5f, ramped.history().get(1).weight());
        assertEquals(2f, ramped.history().get(4).weight());
        assertEquals(StopReason.LABELS_STABLE, ramped.stop());
        assertEquals(5, ramped.history().size());
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(DataException.class, () -> new PseudoLabeling.Options(0, 1f, 0, true));
        assertThrows(DataException.class, () -> new PseudoLabeling.Options(3, 0f, 0, true));
        assertThrows(DataException.class, () -> new PseudoLabeling.Options(3, 1f, -1, true));
    }
}
