package org.labelprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.testing.TestData;

class SpreadingClassifierTest {
    private static final LogisticRegression LOGISTIC = new LogisticRegression(LogisticRegression.Options.defaults());

    @Test
    void graphRowsGetTheSpreadDistributionsAndNewRowsTheInductiveModel() {
        FloatMatrix x = Fixtures.blobs(3, 60, 4, 1.5f, 9);
        int[] y = TestData.fewLabels(180, 3, 3);
        Labels labels = Labels.of(y, "labels");
        SpreadingClassifier spreading = SpreadingClassifier.build(Fixtures.BACKEND, x, KnnGraph.Options.defaults(),
                SpreadingClassifier.Options.defaults(), LOGISTIC);
        Fit fit = spreading.fitAndPredict(Fixtures.BACKEND, TrainingSet.of(x, labels));

        PropagationResult want = LabelSpreading.fit(Fixtures.BACKEND,
                KnnGraph.build(Fixtures.BACKEND, x, KnnGraph.Options.defaults(), Progress.NONE).graph(), labels,
                LabelSpreading.Options.defaults(), Progress.NONE);
        assertArrayEquals(want.prediction().distribution(), fit.prediction().distribution(), 0f);

        FloatMatrix fresh = Fixtures.blobs(3, 20, 4, 1.5f, 9);
        Model inductive = fit.modelForNewRows(Fixtures.BACKEND);
        assertTrue(inductive instanceof LogisticModel);
        Model m = spreading.fit(Fixtures.BACKEND, TrainingSet.of(x, labels));
        assertArrayEquals(inductive.probabilities(Fixtures.BACKEND, fresh), m.probabilities(Fixtures.BACKEND, fresh),
                0f);
        int[] truth = Fixtures.blobTruth(60, 3);
        assertEquals(1.0, m.predict(Fixtures.BACKEND, fresh).accuracy(truth, LogisticRegressionTest.range(60)), 0.05);
    }

    @Test
    void fittedRowsComeFromTheGraphAndNewRowsFromTheInductiveModelOnThePropagatedLabels() {
        FloatMatrix x = Fixtures.blobs(3, 50, 4, 2.5f, 5);
        Labels labels = Labels.of(TestData.fewLabels(150, 3, 2), "labels");
        CsrGraph graph = KnnGraph.build(Fixtures.BACKEND, x, KnnGraph.Options.defaults(), Progress.NONE).graph();
        SpreadingClassifier.Options options = new SpreadingClassifier.Options(LabelSpreading.Options.defaults(), 0.6f);
        SpreadingClassifier spreading = new SpreadingClassifier(graph, options, LOGISTIC);
        TrainingSet given = TrainingSet.of(x, labels);
        Fit fit = spreading.fitAndPredict(Fixtures.BACKEND, given);

        // The graph's rows: label spreading on the same graph, labels and confidences included.
        Prediction want = LabelSpreading.fit(Fixtures.BACKEND, graph, labels, options.spreading(), Progress.NONE)
                .prediction();
        assertArrayEquals(want.distribution(), fit.prediction().distribution(), 0f);
        assertArrayEquals(want.label(), fit.prediction().label());
        assertArrayEquals(want.confidence(), fit.prediction().confidence(), 0f);

        // New rows: logistic regression on the given rows, then every other row spread with confidence >= 0.6.
        IntArrayList rows = new IntArrayList(given.rows());
        IntArrayList target = new IntArrayList(given.target());
        int skipped = 0;
        for (int i = 0; i < x.rows(); i++) {
            if (labels.isLabeled(i)) {
                continue;
            }
            if (want.confidence()[i] >= 0.6f) {
                rows.add(i);
                target.add(java.util.Arrays.binarySearch(want.classes(), want.label()[i]));
            } else {
                skipped++;
            }
        }
        assertTrue(skipped > 0 && skipped < x.rows() - labels.labeledCount(), skipped + " rows below 0.6");
        Model byHand = LOGISTIC.fit(Fixtures.BACKEND, new TrainingSet(x, rows.toIntArray(), target.toIntArray(), null,
                labels.classes()));
        FloatMatrix fresh = Fixtures.blobs(3, 10, 4, 2.5f, 6);
        assertArrayEquals(byHand.probabilities(Fixtures.BACKEND, fresh),
                fit.modelForNewRows(Fixtures.BACKEND).probabilities(Fixtures.BACKEND, fresh), 0f);
        assertArrayEquals(byHand.probabilities(Fixtures.BACKEND, fresh),
                spreading.fit(Fixtures.BACKEND, given).probabilities(Fixtures.BACKEND, fresh), 0f);

        // A training set over another matrix is refused by its row count, whatever object holds the rows.
        FloatMatrix other = Fixtures.blobs(3, 40, 4, 2.5f, 5);
        DataException e = assertThrows(DataException.class, () -> spreading.fitAndPredict(Fixtures.BACKEND,
                TrainingSet.of(other, Labels.of(TestData.fewLabels(120, 3, 2), "labels"))));
        assertTrue(e.getMessage().contains("150 rows") && e.getMessage().contains("120"), e.getMessage());
        FloatMatrix copy = new FloatMatrix(x.rows(), x.cols(), x.data().clone());
        Fit onCopy = spreading.fitAndPredict(Fixtures.BACKEND, TrainingSet.of(copy, labels));
        assertArrayEquals(fit.prediction().distribution(), onCopy.prediction().distribution(), 0f);
    }

    @Test
    void selfTrainingOverTheGraphReusesIt() {
        FloatMatrix x = Fixtures.blobs(3, 60, 4, 1.5f, 9);
        Labels labels = Labels.of(TestData.fewLabels(180, 3, 3), "labels");
        LabelingResult r = SelfTraining.fit(Fixtures.BACKEND, x, labels, null, SpreadingClassifier.build(
                Fixtures.BACKEND, x, KnnGraph.Options.defaults(), SpreadingClassifier.Options.defaults(), LOGISTIC),
                SelfTraining.Options.kBest(30).withMaxRounds(2));
        assertEquals(3, r.history().size());
        assertEquals(9 + 60, r.history().get(2).labeled());
    }

    @Test
    void selfTrainingOverTheGraphFitsTheModelForNewRowsOnlyWhenAsked() {
        FloatMatrix x = Fixtures.blobs(3, 60, 4, 1.5f, 9);
        Labels labels = Labels.of(TestData.fewLabels(180, 3, 3), "labels");
        AtomicInteger fits = new AtomicInteger();
        Classifier counted = new Classifier() {
            @Override
            public String name() {
                return "counted";
            }

            @Override
            public Model fit(Backend backend, TrainingSet data) {
                fits.incrementAndGet();
                return LOGISTIC.fit(backend, data);
            }
        };
        SpreadingClassifier spreading = SpreadingClassifier.build(Fixtures.BACKEND, x, KnnGraph.Options.defaults(),
                SpreadingClassifier.Options.defaults(), counted);
        LabelingResult r = SelfTraining.fit(Fixtures.BACKEND, x, labels, null, spreading,
                SelfTraining.Options.kBest(30).withMaxRounds(3));
        assertEquals(4, r.history().size());
        assertEquals(0, fits.get(), "rounds over the graph fit no model for new rows");
        Model keep = r.fit().modelForNewRows(Fixtures.BACKEND);
        assertEquals(1, fits.get());
        assertTrue(keep instanceof LogisticModel);
    }
}
