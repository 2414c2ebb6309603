package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.Inductive;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.Metric;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.io.NpyFile;
import org.labelprop.core.model.LabelingResult;
import org.labelprop.core.model.LogisticRegression;
import org.labelprop.core.model.SelfTraining;
import org.labelprop.core.testing.TestData;

/** self-train, pseudo-label and predict in-process: outputs against the library, and the error contract. */
class ModelCommandsTest {
    @TempDir
    Path dir;

    private FloatMatrix x;
    private int[] y;
    private Path features;
    private Path labels;

    private void writeBlobs() throws IOException {
        x = TestData.blobs(3, 60, 4, 2.5f, 8);
        y = TestData.fewLabels(180, 3, 4);
        features = dir.resolve("features.npy");
        labels = dir.resolve("labels.csv");
        NpyFile.writeMatrix(features, x);
        Files.writeString(labels, java.util.Arrays.stream(y).mapToObj(v -> v < 0 ? "" : Integer.toString(v))
                .collect(Collectors.joining("\n", "", "\n")));
    }

    private static List<String[]> csv(Path p) throws IOException {
        return Files.readAllLines(p).stream().map(l -> l.split(",", -1)).collect(Collectors.toList());
    }

    @Test
    void selfTrainWritesWhatTheLibraryComputesAndItsHistory() throws IOException {
        writeBlobs();
        Path validation = dir.resolve("validation.csv");
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < 180; i++) {
            v.append(y[i] >= 0 ? "-1" : Integer.toString(i % 3)).append('\n');
        }
        Files.writeString(validation, v);
        Path out = dir.resolve("pred.csv");
        Path history = dir.resolve("history.csv");
        CliTest.Run r = CliTest.run("self-train", "--features", features.toString(), "--labels", labels.toString(),
                "--out", out.toString(), "--probabilities", "--threshold", "0.9", "--max-rounds", "3", "--balance",
                "--validation", validation.toString(), "--history", history.toString(), "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("validation accuracy"), r.err());

        ForkJoinPool pool = new ForkJoinPool(2);
        LabelingResult want = SelfTraining.fit(new ReferenceBackend(pool), x, Labels.of(y, "labels"), null,
                new LogisticRegression(LogisticRegression.Options.defaults()),
                SelfTraining.Options.threshold(0.9).withMaxRounds(3).withBalance(true));
        pool.shutdown();
        List<String[]> rows = csv(out);
        assertArrayEquals(new String[] {"row", "label", "confidence", "p_0", "p_1", "p_2"}, rows.get(0));
        for (int i = 0; i < 180; i++) {
            assertEquals(want.prediction().label()[i], Integer.parseInt(rows.get(i + 1)[1]), "row " + i);
            assertEquals(want.prediction().confidence()[i], Float.parseFloat(rows.get(i + 1)[2]), 1e-6f);
        }
        List<String[]> h = csv(history);
        assertArrayEquals(new String[] {"round", "changed", "labeled", "weight", "validation_accuracy", "seconds",
                "n_0", "n_1", "n_2"}, h.get(0));
        assertEquals(want.history().size() + 1, h.size());
        assertEquals("12", h.get(1)[2]);
        assertTrue(Double.parseDouble(h.get(h.size() - 1)[4]) > 0.5);
    }

    @Test
    void savedModelPredictsLikeTheRunThatSavedIt() throws IOException {
        writeBlobs();
        for (String model : new String[] {"logistic", "knn", "spreading"}) {
            Path out = dir.resolve(model + ".npy");
            Path saved = dir.resolve(model + ".lpm");
            CliTest.Run r = CliTest.run("pseudo-label", "--features", features.toString(), "--labels",
                    labels.toString(), "--out", out.toString(), "--model", model, "--max-rounds", "2",
                    "--model-out", saved.toString(), "--threads", "1");
            assertEquals(0, r.code(), r.err());
            Path again = dir.resolve(model + "-again.npy");
            CliTest.Run p = CliTest.run("predict", "--model", saved.toString(), "--features", features.toString(),
                    "--out", again.toString());
            assertEquals(0, p.code(), p.err());
            FloatMatrix a = NpyFile.readMatrix(out);
            FloatMatrix b = NpyFile.readMatrix(again);
            int agree = 0;
            for (int i = 0; i < 180; i++) {
                agree += a.get(i, 0) == b.get(i, 0) ? 1 : 0;
            }
            // spreading's own rows come from the graph, new rows from its logistic model: they mostly agree.
            assertTrue(model.equals("spreading") ? agree >= 170 : agree == 180, model + ": " + agree);
        }
    }

    @Test
    void propagateSavesAModelThatPredictsNewRowsAsInductiveDoes() throws IOException {
        writeBlobs();
        FloatMatrix fresh = TestData.blobs(3, 10, 4, 2.5f, 9);
        Path freshFile = dir.resolve("fresh.npy");
        NpyFile.writeMatrix(freshFile, fresh);
        Path saved = dir.resolve("propagation.lpm");
        CliTest.Run r = CliTest.run("propagate", "--features", features.toString(), "--labels", labels.toString(),
                "--out", dir.resolve("p.csv").toString(), "--k", "7", "--metric", "cosine", "--weights", "gaussian",
                "--sigma", "0.5", "--model-out", saved.toString(), "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        Path predicted = dir.resolve("fresh.csv");
        CliTest.Run p = CliTest.run("predict", "--model", saved.toString(), "--features", freshFile.toString(),
                "--out", predicted.toString(), "--probabilities", "--backend", "reference");
        assertEquals(0, p.code(), p.err());

        // The reference: the README's library calls, propagating once and voting for the new rows in Java.
        ForkJoinPool pool = new ForkJoinPool(2);
        ReferenceBackend backend = new ReferenceBackend(pool);
        KnnGraph.Options options = KnnGraph.Options.defaults().withK(7).withMetric(Metric.COSINE)
                .withWeights(Weighting.GAUSSIAN, 0.5f, Symmetrization.AVERAGE);
        PropagationResult fitted = LabelSpreading.fit(backend, KnnGraph.build(backend, x, options, Progress.NONE)
                .graph(), Labels.of(y, "labels"), LabelSpreading.Options.defaults(), Progress.NONE);
        Prediction want = Inductive.predict(backend, x, fitted, fresh, options, Progress.NONE);
        pool.shutdown();
        List<String[]> rows = csv(predicted);
        assertEquals(fresh.rows() + 1, rows.size());
        for (int i = 0; i < fresh.rows(); i++) {
            assertEquals(want.label()[i], Integer.parseInt(rows.get(i + 1)[1]), "row " + i);
            for (int c = 0; c < 3; c++) {
                assertEquals(want.probability(i, c), Float.parseFloat(rows.get(i + 1)[3 + c]), 1e-6f, "row " + i);
            }
        }

        CliTest.Run noFeatures = CliTest.run("propagate", "--graph-in", dir.resolve("g.lpg").toString(), "--labels",
                labels.toString(), "--out", dir.resolve("q.csv").toString(), "--model-out", saved.toString());
        assertEquals(2, noFeatures.code());
        assertEquals("labelprop: --model-out needs --features: new rows are labeled by their nearest training rows "
                + "(see --help)\n", noFeatures.err());
    }

    @Test
    void badInputGivesOneLineErrors() throws IOException {
        writeBlobs();
        Path out = dir.resolve("o.csv");
        CliTest.Run threshold = CliTest.run("self-train", "--features", features.toString(), "--labels",
                labels.toString(), "--out", out.toString(), "--threshold", "1");
        assertEquals(2, threshold.code());
        assertEquals("labelprop: --threshold must be in [0, 1), got 1.0 (see --help)\n", threshold.err());

        CliTest.Run both = CliTest.run("self-train", "--features", features.toString(), "--labels",
                labels.toString(), "--out", out.toString(), "--threshold", "0.5", "--k-best", "3");
        assertEquals(2, both.code());

        Path single = dir.resolve("single.csv");
        Files.writeString(single, "0\n0\n5\n" + "\n".repeat(177));
        CliTest.Run one = CliTest.run("self-train", "--features", features.toString(), "--labels", single.toString(),
                "--out", out.toString(), "--backend", "reference");
        assertEquals(1, one.code());
        assertTrue(one.err().contains("class 5 has a single labeled row (row 3)"), one.err());

        Path bogus = dir.resolve("bogus.lpm");
        Files.writeString(bogus, "LPMODEL\0garbage");
        CliTest.Run corrupt = CliTest.run("predict", "--model", bogus.toString(), "--features", features.toString(),
                "--out", out.toString(), "--backend", "reference");
        assertEquals(1, corrupt.code());
        assertTrue(corrupt.err().startsWith("labelprop: error: " + bogus), corrupt.err());
        for (CliTest.Run r : new CliTest.Run[] {threshold, one, corrupt}) {
            assertEquals(1, r.err().split("\n").length, r.err());
        }
    }
}
