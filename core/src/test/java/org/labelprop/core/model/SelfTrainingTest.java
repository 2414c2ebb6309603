package org.labelprop.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.data.LabelSplit;

class SelfTrainingTest {
    private static final LogisticRegression LOGISTIC = new LogisticRegression(LogisticRegression.Options.defaults());

    /**
     * Four overlapping Gaussian blobs in 20-d, two labels per class: the model on 8 rows is far from the
     * boundary the 600 rows outline, and self-training moves it there.
     */
    @Test
    void beatsTheSupervisedModelOverSeveralSeeds() {
        double plainGain = 0;
        double balancedGain = 0;
        int seeds = 5;
        for (long seed = 1; seed <= seeds; seed++) {
            FloatMatrix x = Fixtures.blobs(4, 150, 20, 5f, seed);
            int[] truth = Fixtures.blobTruth(600, 4);
            int[] y = LabelSplit.perClass(truth, 2, seed);
            int[] hidden = LabelSplit.hidden(y);
            Labels labels = Labels.of(y, "labels");
            double alone = accuracy(SelfTraining.fit(Fixtures.BACKEND, x, labels, null, LOGISTIC,
                    SelfTraining.Options.defaults().withMaxRounds(0)), truth, hidden);
            double plain = accuracy(SelfTraining.fit(Fixtures.BACKEND, x, labels, null, LOGISTIC,
                    SelfTraining.Options.defaults()), truth, hidden);
            double balanced = accuracy(SelfTraining.fit(Fixtures.BACKEND, x, labels, null, LOGISTIC,
                    SelfTraining.Options.defaults().withBalance(true)), truth, hidden);
            assertTrue(balanced >= alone - 0.01, "seed " + seed + ": balanced " + balanced + " vs alone " + alone);
            plainGain += (plain - alone) / seeds;
            balancedGain += (balanced - alone) / seeds;
        }
        assertTrue(plainGain >= 0.02, "self-training gains " + plainGain);
        assertTrue(balancedGain >= 0.05, "balanced self-training gains " + balancedGain);
    }

    @Test
    void balanceKeepsPseudoLabelSharesWithinTheDocumentedTolerance() {
        // Uneven given labels (10, 4, 6) and classes of uneven difficulty.
        FloatMatrix x = Fixtures.blobs(3, 200, 5, 3f, 4);
        int[] truth = Fixtures.blobTruth(600, 3);
        int[] y = new int[600];
        Arrays.fill(y, -1);
        int[] want = {10, 4, 6};
        int[] seen = new int[3];
        for (int i = 0; i < 600; i++) {
            if (seen[truth[i]] < want[truth[i]]) {
                y[i] = truth[i];
                seen[truth[i]]++;
            }
        }
        Labels labels = Labels.of(y, "labels");
        for (SelfTraining.Options o : new SelfTraining.Options[] {SelfTraining.Options.threshold(0.6).withBalance(true),
                SelfTraining.Options.kBest(50).withBalance(true)}) {
            LabelingResult r = SelfTraining.fit(Fixtures.BACKEND, x, labels, null, LOGISTIC, o);
            int[] count = new int[3];
            int accepted = 0;
            for (int i = 0; i < 600; i++) {
                if (r.round()[i] > 0) {
                    count[Arrays.binarySearch(labels.classes(), r.label()[i])]++;
                    accepted++;
                }
            }
            assertTrue(accepted > 100, o + ": only " + accepted + " accepted");
            int rounds = r.history().size() - 1;
            double[] prior = labels.classPriors();
            for (int c = 0; c < 3; c++) {
                double share = (double) count[c] / accepted;
                assertTrue(Math.abs(share - prior[c]) <= SelfTraining.balanceTolerance(rounds, 3, prior[c], accepted),
                        o + ": class " + c + " share " + share + " vs " + prior[c]);
            }
        }
    }

    @Test
    void kBestAcceptsKRowsPerRoundAndRecordsTheRound() {
        FloatMatrix x = Fixtures.blobs(3, 40, 4, 1.5f, 2);
        int[] y = LabelSplit.perClass(Fixtures.blobTruth(120, 3), 3, 1);
        int[] validation = Fixtures.blobTruth(120, 3).clone();
        for (int i = 0; i < 120; i++) {
            if (y[i] >= 0) {
                validation[i] = -1;
            }
        }
        LabelingResult r = SelfTraining.fit(Fixtures.BACKEND, x, Labels.of(y, "labels"), validation, LOGISTIC,
                SelfTraining.Options.kBest(25).withMaxRounds(3));
        assertEquals(StopReason.MAX_ROUNDS, r.stop());
        assertEquals(4, r.history().size());
        for (int round = 1; round <= 3; round++) {
            Round h = r.history().get(round);
            assertEquals(25, h.changed());
            assertEquals(25, Arrays.stream(h.perClass()).sum());
            assertEquals(9 + 25 * round, h.labeled());
            assertTrue(h.validationAccuracy() > 0.9, "validation " + h.validationAccuracy());
            final int rr = round;
            assertEquals(25, Arrays.stream(r.round()).filter(v -> v == rr).count());
        }
        assertEquals(9, Arrays.stream(r.round()).filter(v -> v == 0).count());
        assertEquals(120 - 9 - 75, Arrays.stream(r.round()).filter(v -> v == -1).count());
    }

    @Test
    void stopsWhenEverythingIsLabeledOrNothingMeetsTheThreshold() {
        FloatMatrix x = Fixtures.blobs(2, 30, 3, 1f, 3);
        Labels labels = Labels.of(LabelSplit.perClass(Fixtures.blobTruth(60, 2), 3, 1), "labels");
        LabelingResult all = SelfTraining.fit(Fixtures.BACKEND, x, labels, null, LOGISTIC,
                SelfTraining.Options.threshold(0));
        assertEquals(StopReason.ALL_LABELED, all.stop());
        assertEquals(0, Arrays.stream(all.label()).filter(v -> v < 0).count());
        // A strong penalty on 6 rows keeps every probability near 1/2.
        LogisticRegression timid = new LogisticRegression(new LogisticRegression.Options(1000, 1e-5, 100, false));
        LabelingResult none = SelfTraining.fit(Fixtures.BACKEND, x, labels, null, timid,
                SelfTraining.Options.threshold(0.9));
        assertEquals(StopReason.NO_NEW_LABELS, none.stop());
        assertEquals(1, none.history().size());
    }

    @Test
    void badInputsGiveOneLineErrors() {
        assertThrows(DataException.class, () -> SelfTraining.Options.threshold(1.0));
        assertThrows(DataException.class, () -> SelfTraining.Options.threshold(-0.1));
        assertThrows(DataException.class, () -> SelfTraining.Options.kBest(0));
        FloatMatrix x = Fixtures.blobs(2, 5, 2, 1f, 1);
        // No labeled row is refused where the labels are read, before any loop runs.
        DataException none = assertThrows(DataException.class, () -> Labels.of(filled(10, -1), "labels.csv"));
        assertTrue(none.getMessage().contains("no labeled row"), none.getMessage());
        int[] single = filled(10, -1);
        single[0] = 0;
        single[2] = 0;
        single[1] = 7;
        DataException one = assertThrows(DataException.class, () -> SelfTraining.fit(Fixtures.BACKEND, x,
                Labels.of(single, "labels"), null, LOGISTIC, SelfTraining.Options.defaults()));
        assertTrue(one.getMessage().contains("class 7 has a single labeled row (row 2)"), one.getMessage());
        int[] ok = {0, 1, 0, 1, -1, -1, -1, -1, -1, -1};
        int[] leak = filled(10, -1);
        leak[1] = 1;
        DataException overlap = assertThrows(DataException.class, () -> SelfTraining.fit(Fixtures.BACKEND, x,
                Labels.of(ok, "labels"), leak, LOGISTIC, SelfTraining.Options.defaults()));
        assertTrue(overlap.getMessage().contains("row 2 is both"), overlap.getMessage());
        for (DataException e : new DataException[] {none, one, overlap}) {
            assertTrue(!e.getMessage().contains("\n"));
        }
    }

    static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    static double accuracy(LabelingResult r, int[] truth, int[] rows) {
        return r.prediction().accuracy(truth, rows);
    }
}
