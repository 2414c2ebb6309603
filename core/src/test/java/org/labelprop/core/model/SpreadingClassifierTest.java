package org.labelprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.testing.TestData;

class SpreadingClassifierTest {
    @Test
    void graphRowsGetTheSpreadDistributionsAndNewRowsTheInductiveModel() {
        FloatMatrix x = Fixtures.blobs(3, 60, 4, 1.5f, 9);
        int[] y = TestData.fewLabels(180, 3, 3);
        Labels labels = Labels.of(y, "labels");
        SpreadingClassifier spreading = new SpreadingClassifier(SpreadingClassifier.Options.defaults(),
                new LogisticRegression(LogisticRegression.Options.defaults()));
        Model m = spreading.fit(TrainingSet.of(x, labels), Fixtures.BACKEND);

        PropagationResult want = LabelSpreading.fit(Fixtures.BACKEND,
                KnnGraph.build(Fixtures.BACKEND, x, KnnGraph.Options.defaults(), Progress.NONE).graph(), labels,
                LabelSpreading.Options.defaults(), Progress.NONE);
        assertArrayEquals(want.distribution(), m.probabilities(x, Fixtures.BACKEND), 0f);

        FloatMatrix fresh = Fixtures.blobs(3, 20, 4, 1.5f, 9);
        Model inductive = m.forNewRows(Fixtures.BACKEND);
        assertTrue(inductive instanceof LogisticModel);
        assertSame(inductive, m.forNewRows(Fixtures.BACKEND));
        assertArrayEquals(inductive.probabilities(fresh, Fixtures.BACKEND), m.probabilities(fresh, Fixtures.BACKEND), 0f);
        int[] truth = Fixtures.blobTruth(60, 3);
        assertEquals(1.0, Fixtures.accuracy(m.predict(fresh, Fixtures.BACKEND).label(), truth,
                LogisticRegressionTest.range(60)), 0.05);
    }

    @Test
    void selfTrainingOverTheGraphReusesIt() {
        FloatMatrix x = Fixtures.blobs(3, 60, 4, 1.5f, 9);
        Labels labels = Labels.of(TestData.fewLabels(180, 3, 3), "labels");
        LabelingResult r = SelfTraining.fit(x, labels, null, new SpreadingClassifier(
                SpreadingClassifier.Options.defaults(), new LogisticRegression(LogisticRegression.Options.defaults())),
                SelfTraining.Options.kBest(30).withMaxRounds(2), Fixtures.BACKEND);
        assertEquals(3, r.history().size());
        assertEquals(9 + 60, r.history().get(2).labeled());
    }
}
