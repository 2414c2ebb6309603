package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PoissonLearning;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.BackendUnavailableException;
import org.labelprop.core.backend.Backends;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.io.NpyFile;
import org.labelprop.core.testing.TestData;

/** The command line in-process: outputs against the library called directly, and the error contract. */
class CliTest {
    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one run. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path features;
    private Path labels;
    private FloatMatrix x;
    private int[] y;

    private void writeBlobs() throws IOException {
        x = TestData.blobs(3, 100, 4, 1.5f, 8);
        y = TestData.fewLabels(300, 3, 3);
        writeMatrix();
    }

    private void writeMatrix() throws IOException {
        features = dir.resolve("features.csv");
        labels = dir.resolve("labels.csv");
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < x.rows(); i++) {
            for (int t = 0; t < x.cols(); t++) {
                f.append(t == 0 ? "" : ",").append(x.get(i, t));
            }
            f.append('\n');
        }
        Files.writeString(features, f);
        Files.writeString(labels, java.util.Arrays.stream(y).mapToObj(v -> v < 0 ? "" : Integer.toString(v))
                .collect(Collectors.joining("\n", "", "\n")));
    }

    private static List<String[]> csv(Path p) throws IOException {
        return Files.readAllLines(p).stream().map(l -> l.split(",")).collect(Collectors.toList());
    }

    /** `propagate` on the blobs written by {@link #writeBlobs} into {@code out}, with these options; must succeed. */
    private Run propagateBlobs(Path out, String... options) throws IOException {
        writeBlobs();
        List<String> args = new java.util.ArrayList<>(List.of("propagate", "--features", features.toString(),
                "--labels", labels.toString(), "--out", out.toString()));
        args.addAll(List.of(options));
        Run r = run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void propagateWritesWhatTheLibraryComputes() throws IOException {
        Path out = dir.resolve("pred.csv");
        Run r = propagateBlobs(out, "--probabilities", "--backend", "reference");
        List<String[]> rows = csv(out);
        assertArrayEquals(new String[] {"row", "label", "confidence", "p_0", "p_1", "p_2"}, rows.get(0));
        assertEquals(301, rows.size());

        ReferenceBackend ref = new ReferenceBackend(ForkJoinPool.commonPool());
        PropagationResult want = LabelSpreading.fit(ref, KnnGraph.build(ref, x, KnnGraph.Options.defaults(), Progress.NONE).graph(),
                Labels.of(y, "labels"), LabelSpreading.Options.defaults(), Progress.NONE);
        for (int i = 0; i < 300; i++) {
            String[] row = rows.get(i + 1);
            assertEquals(i, Integer.parseInt(row[0]));
            assertEquals(want.prediction().label()[i], Integer.parseInt(row[1]), "row " + i);
            assertEquals(want.prediction().confidence()[i], Float.parseFloat(row[2]), 1e-6f);
            double sum = Float.parseFloat(row[3]) + Float.parseFloat(row[4]) + Float.parseFloat(row[5]);
            assertEquals(1.0, sum, 1e-5);
        }
        assertTrue(r.err().contains("converged"), r.err());
    }

    /** --no-momentum is the library's spreading with plain steps (on this graph they differ from the default). */
    @Test
    void noMomentumWritesWhatTheLibraryComputesWithPlainSteps() throws IOException {
        Path out = dir.resolve("pred.csv");
        Run r = propagateBlobs(out, "--backend", "reference", "--no-momentum");
        ReferenceBackend ref = new ReferenceBackend(ForkJoinPool.commonPool());
        org.labelprop.core.graph.CsrGraph g = KnnGraph.build(ref, x, KnnGraph.Options.defaults(), Progress.NONE).graph();
        PropagationResult plain = LabelSpreading.fit(ref, g, Labels.of(y, "labels"),
                LabelSpreading.Options.defaults().withMomentum(false), Progress.NONE);
        PropagationResult momentum = LabelSpreading.fit(ref, g, Labels.of(y, "labels"),
                LabelSpreading.Options.defaults(), Progress.NONE);
        assertTrue(momentum.iterations() < plain.iterations(), momentum.iterations() + " against " + plain.iterations());
        List<String[]> rows = csv(out);
        for (int i = 0; i < 300; i++) {
            assertEquals(plain.prediction().confidence()[i], Float.parseFloat(rows.get(i + 1)[2]), 1e-6f, "row " + i);
        }
        assertTrue(r.err().contains(plain.iterations() + " iterations"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--approximate", "--approximate=nndescent", "--approximate=ivf"})
    void approximateGraphReportsRecallAndPredictsLikeTheExactOne(String method) throws IOException {
        x = TestData.blobs(4, 500, 6, 1f, 3);
        y = TestData.fewLabels(2000, 4, 3);
        writeMatrix();
        Path exact = dir.resolve("exact.csv");
        Path approx = dir.resolve("approx.csv");
        assertEquals(0, run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                exact.toString()).code());
        Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                approx.toString(), method, "--recall-sample", "300");
        assertEquals(0, r.code(), r.err());
        String line = r.err().lines().filter(l -> l.contains("recall@10")).findFirst().orElseThrow();
        assertTrue(Double.parseDouble(line.replaceAll(".*recall@10 ([0-9.]+).*", "$1")) >= 0.95, line);
        List<String[]> a = csv(exact);
        List<String[]> b = csv(approx);
        int same = 0;
        for (int i = 1; i < a.size(); i++) {
            if (a.get(i)[1].equals(b.get(i)[1])) {
                same++;
            }
        }
        assertTrue(same >= 0.99 * 2000, same + " of 2000 rows agree");
    }

    @Test
    void pcaProjectionKeepsThePredictionsOfWellSeparatedClusters() throws IOException {
        x = TestData.blobs(3, 100, 20, 1f, 4);
        y = TestData.fewLabels(300, 3, 3);
        writeMatrix();
        Path out = dir.resolve("pca.csv");
        Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--pca", "5");
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = csv(out);
        for (int i = 0; i < 300; i++) {
            assertEquals(i % 3, Integer.parseInt(rows.get(i + 1)[1]), "row " + i);
        }
        // Whitened: same clusters, same predictions.
        r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--pca", "5", "--whiten", "0.25");
        assertEquals(0, r.code(), r.err());
        rows = csv(out);
        for (int i = 0; i < 300; i++) {
            assertEquals(i % 3, Integer.parseInt(rows.get(i + 1)[1]), "whitened, row " + i);
        }
        // More components than features, whitening without PCA or past full whitening: usage errors naming
        // the flag.
        assertEquals(2, run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--pca", "50").code());
        Run noPca = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--whiten", "0.25");
        assertEquals(2, noPca.code());
        assertTrue(noPca.err().contains("--whiten") && noPca.err().contains("--pca"), noPca.err());
        Run tooMuch = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--pca", "5", "--whiten", "0.9");
        assertEquals(2, tooMuch.code());
        assertTrue(tooMuch.err().contains("--whiten") && tooMuch.err().contains("0.5"), tooMuch.err());
    }

    @Test
    void blurredImagesKeepThePredictionsAndBadShapesAreUsageErrors() throws IOException {
        // 20 features read as 4x5 images: a blur of half a pixel keeps well separated clusters apart.
        x = TestData.blobs(3, 100, 20, 1f, 4);
        y = TestData.fewLabels(300, 3, 3);
        writeMatrix();
        Path out = dir.resolve("blur.csv");
        Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--image", "4x5", "--blur", "0.5", "--pca", "5");
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = csv(out);
        for (int i = 0; i < 300; i++) {
            assertEquals(i % 3, Integer.parseInt(rows.get(i + 1)[1]), "row " + i);
        }
        Run wrongShape = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--image", "28x28", "--blur", "1");
        assertEquals(2, wrongShape.code());
        assertTrue(wrongShape.err().contains("--image") && wrongShape.err().contains("784")
                && wrongShape.err().contains("20 columns"), wrongShape.err());
        Run noShape = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--blur", "1");
        assertEquals(2, noShape.code());
        assertTrue(noShape.err().contains("--blur") && noShape.err().contains("--image"), noShape.err());
        Run badShape = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--image", "4by5", "--blur", "1");
        assertEquals(2, badShape.code());
        assertTrue(badShape.err().contains("--image") && badShape.err().contains("4by5"), badShape.err());
        Run badSigma = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--image", "4x5", "--blur", "-1");
        assertEquals(2, badSigma.code());
        assertTrue(badSigma.err().contains("--blur"), badSigma.err());
    }

    @Test
    void npyOutputAndSavedGraphGiveTheSamePredictions() throws IOException {
        writeBlobs();
        Path graph = dir.resolve("g.lpg");
        Path csvOut = dir.resolve("a.csv");
        Path npyOut = dir.resolve("b.npy");
        assertEquals(0, run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                csvOut.toString(), "--graph-out", graph.toString()).code());
        assertEquals(0, run("propagate", "--graph-in", graph.toString(), "--labels", labels.toString(), "--out",
                npyOut.toString()).code());
        FloatMatrix m = NpyFile.readMatrix(npyOut);
        List<String[]> rows = csv(csvOut);
        assertEquals(2, m.cols());
        for (int i = 0; i < 300; i++) {
            assertEquals(Integer.parseInt(rows.get(i + 1)[1]), (int) m.get(i, 0));
            assertEquals(Float.parseFloat(rows.get(i + 1)[2]), m.get(i, 1), 1e-6f);
        }
    }

    /** propagate over the given edge-list and label-file contents, predictions to pred.csv in the test folder. */
    private Run propagateOnEdges(String edgeLines, String labelLines, String... options) throws IOException {
        Path edges = dir.resolve("edges.csv");
        Files.writeString(edges, edgeLines);
        Path lab = dir.resolve("labels.csv");
        Files.writeString(lab, labelLines);
        List<String> args = new java.util.ArrayList<>(List.of("propagate", "--edges", edges.toString(), "--labels",
                lab.toString(), "--out", dir.resolve("pred.csv").toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    @Test
    void edgeListGraphWithAnIsolatedComponent() throws IOException {
        // Path 0-1-2 holds the labels; 3-4 is a component no label reaches.
        Run r = propagateOnEdges("src,dst\n0,1\n1,2\n3,4\n", "0\n-1\n1\n-1\n-1\n", "--algorithm", "propagation",
                "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = csv(dir.resolve("pred.csv"));
        assertEquals("-1", rows.get(4)[1]);
        assertEquals(0f, Float.parseFloat(rows.get(4)[2]));
        assertEquals("-1", rows.get(5)[1]);
        // Row 1 sits halfway between the two labels: a tie, resolved to the lower class.
        assertEquals(0.5f, Float.parseFloat(rows.get(2)[2]), 1e-6f);
        assertTrue(r.err().contains("2 rows unreachable"), r.err());
    }

    @Test
    void rowsConnectedToALabelAreNotCalledUnreachable() throws IOException {
        // A path 0-1-2-3 labeled at 0: after one step rows 2 and 3 hold no label mass yet, but a label reaches them.
        Run r = propagateOnEdges("0,1\n1,2\n2,3\n", "0\n-1\n-1\n-1\n", "--max-iter", "1", "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("unreachable"), r.err());
        assertTrue(r.err().contains("2 rows got no label") && r.err().contains("--max-iter"), r.err());

        // Gaussian weights with a tiny sigma underflow to 0: connected rows, but nothing flows.
        writeBlobs();
        Run tiny = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                dir.resolve("pred.csv").toString(), "--weights", "gaussian", "--sigma", "1e-10", "--backend", "cpu");
        assertEquals(0, tiny.code(), tiny.err());
        assertFalse(tiny.err().contains("unreachable"), tiny.err());
        assertTrue(tiny.err().contains("rows got no label") && tiny.err().contains("underflow"), tiny.err());
    }

    @Test
    void featuresAtScalesWhereFloatDistancesFailAreRefusedNamingTheFile() throws IOException {
        for (float scale : new float[] {1e19f, 1e-30f}) {
            x = TestData.blobs(3, 100, 4, 1.5f, 8).scaleInPlace(scale);
            y = TestData.fewLabels(300, 3, 3);
            writeMatrix();
            for (String backend : new String[] {"reference", "cpu"}) {
                Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                        dir.resolve("p.csv").toString(), "--backend", backend);
                assertEquals(1, r.code(), r.err());
                assertTrue(r.err().contains(features.toString()) && r.err().contains("scale"), r.err());
            }
        }
    }

    @Test
    void edgeErrorsNameTheEdgeFile() throws IOException {
        for (String content : new String[] {"0,1\n1,7\n", "0,1,3e38\n0,1,3e38\n1,2,1\n"}) {
            Run r = propagateOnEdges(content, "0\n-1\n1\n", "--backend", "cpu");
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().startsWith("labelprop: error: " + dir.resolve("edges.csv") + ": "), r.err());
        }
    }

    @Test
    void directedGraphRowsWithNoPathToALabelAreCounted() throws IOException {
        // Row 0 is labeled and points at row 1; row 1 points nowhere, so nothing reaches it.
        Run r = propagateOnEdges("0,1\n", "0\n-1\n", "--symmetrize", "none");
        assertEquals(0, r.code(), r.err());
        assertEquals("-1", csv(dir.resolve("pred.csv")).get(2)[1]);
        assertTrue(r.err().contains("1 rows unreachable"), r.err());
    }

    @Test
    void sklearnPresetReproducesScikitLearn() throws IOException {
        Path f = copyResource("/sklearn/features.csv");
        Path l = copyResource("/sklearn/labels.csv");
        Path out = dir.resolve("pred.csv");
        Run r = run("propagate", "--features", f.toString(), "--labels", l.toString(), "--out", out.toString(),
                "--preset", "sklearn", "--k", "7", "--probabilities");
        assertEquals(0, r.code(), r.err());
        List<String> expected = Files.readAllLines(copyResource("/sklearn/expected_spreading.csv"));
        List<String[]> rows = csv(out);
        assertArrayEquals(new String[] {"row", "label", "confidence", "p_0", "p_2", "p_5"}, rows.get(0));
        for (int i = 1; i < expected.size(); i++) {
            String[] want = expected.get(i).split(",");
            for (int c = 0; c < 3; c++) {
                assertEquals(Double.parseDouble(want[c]), Double.parseDouble(rows.get(i)[3 + c]), 1e-5);
            }
        }
    }

    private Path copyResource(String name) throws IOException {
        Path p = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        try (InputStream in = CliTest.class.getResourceAsStream(name)) {
            Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    @Test
    void poissonWritesWhatTheLibraryComputes() throws IOException {
        writeBlobs();
        Path out = dir.resolve("pred.csv");
        Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--algorithm", "poisson", "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        ReferenceBackend ref = new ReferenceBackend(ForkJoinPool.commonPool());
        PropagationResult want = PoissonLearning.fit(ref,
                KnnGraph.build(ref, x, KnnGraph.Options.defaults(), Progress.NONE).graph(), Labels.of(y, "labels"),
                PoissonLearning.Options.defaults(), Progress.NONE);
        List<String[]> rows = csv(out);
        for (int i = 0; i < 300; i++) {
            assertEquals(want.prediction().label()[i], Integer.parseInt(rows.get(i + 1)[1]), "row " + i);
        }
        assertTrue(r.err().contains("poisson converged"), r.err());
        r = run("propagate", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv", "--algorithm", "poisson",
                "--min-iter", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--min-iter must be >= 1, got 0"), r.err());
    }

    @Test
    void selfTrainingWritesWhatTheLibraryComputes() throws IOException {
        writeBlobs();
        Path out = dir.resolve("pred.csv");
        Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--self-training", "0.2,2", "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        ReferenceBackend ref = new ReferenceBackend(ForkJoinPool.commonPool());
        org.labelprop.core.graph.CsrGraph g = KnnGraph.build(ref, x, KnnGraph.Options.defaults(), Progress.NONE).graph();
        Labels known = Labels.of(y, "labels");
        PropagationResult want = org.labelprop.core.algo.GraphSelfTraining.fit(ref, g, known,
                (b, graph, l, p) -> LabelSpreading.fit(b, graph, l, LabelSpreading.Options.defaults(), p),
                new org.labelprop.core.algo.GraphSelfTraining.Options(0.2, 2,
                        org.labelprop.core.algo.ClassPriors.LABELED), Progress.NONE);
        PropagationResult plain = LabelSpreading.fit(ref, g, known, LabelSpreading.Options.defaults(), Progress.NONE);
        List<String[]> rows = csv(out);
        int differ = 0;
        for (int i = 0; i < 300; i++) {
            assertEquals(want.prediction().label()[i], Integer.parseInt(rows.get(i + 1)[1]), "row " + i);
            float confidence = Float.parseFloat(rows.get(i + 1)[2]);
            assertEquals(want.prediction().confidence()[i], confidence, 1e-5f, "row " + i);
            if (Math.abs(plain.prediction().confidence()[i] - confidence) > 1e-3f) {
                differ++;
            }
        }
        // The rounds changed the fit: the flag was not ignored.
        assertTrue(differ > 0, "self-training left every confidence as plain spreading's");
        // Without a value: GraphSelfTraining's defaults.
        r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--backend", "reference", "--self-training");
        assertEquals(0, r.code(), r.err());
        PropagationResult byDefault = org.labelprop.core.algo.GraphSelfTraining.fit(ref, g, known,
                (b, graph, l, p) -> LabelSpreading.fit(b, graph, l, LabelSpreading.Options.defaults(), p),
                org.labelprop.core.algo.GraphSelfTraining.Options.defaults(), Progress.NONE);
        rows = csv(out);
        for (int i = 0; i < 300; i++) {
            assertEquals(byDefault.prediction().confidence()[i], Float.parseFloat(rows.get(i + 1)[2]), 1e-5f,
                    "default rounds, row " + i);
        }
        Run bad = run("propagate", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv",
                "--self-training", "0.05");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--self-training") && bad.err().contains("SHARE,ROUNDS"), bad.err());
        bad = run("propagate", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv", "--self-training", "2,3");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--self-training") && bad.err().contains("(0, 1]"), bad.err());
        bad = run("propagate", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv", "--task", "regression",
                "--self-training");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--self-training"), bad.err());
    }

    @Test
    void classPriorsFromAFileAndTheirErrors() throws IOException {
        writeBlobs();
        Path out = dir.resolve("pred.csv");
        Path priors = dir.resolve("priors.csv");
        Files.writeString(priors, "label,prior\n0,0.2\n1,0.3\n2,0.5\n");
        Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--class-priors", priors.toString(), "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        long[] count = new long[3];
        csv(out).stream().skip(1).forEach(row -> count[Integer.parseInt(row[1])]++);
        // 291 unlabeled rows: 58.2, 87.3 and 145.5 rounded, plus 3 labeled rows each.
        assertArrayEquals(new long[] {58 + 3, 87 + 3, 146 + 3}, count, java.util.Arrays.toString(count));

        Files.writeString(priors, "0,0.2\n1,0.3\n");
        r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--class-priors", priors.toString(), "--backend", "reference");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("priors.csv: the class priors sum to 0.5; they must sum to 1"), r.err());
        Files.writeString(priors, "0,0.2\n1,0.3\n7,0.5\n");
        r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--class-priors", priors.toString(), "--backend", "reference");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("priors.csv: class 7 is not among the labels' classes [0, 1, 2]"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("labelprop: error:")).count(), r.err());
    }

    @Test
    void suggestPrintsTheLibrarysRowsAndRefusesATooLargeBudget() throws IOException {
        writeBlobs();
        Path out = dir.resolve("pred.csv");
        Run r = run("suggest", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--algorithm", "poisson", "--budget", "5", "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        ReferenceBackend ref = new ReferenceBackend(ForkJoinPool.commonPool());
        org.labelprop.core.graph.CsrGraph g = KnnGraph.build(ref, x, KnnGraph.Options.defaults(), Progress.NONE).graph();
        Labels known = Labels.of(y, "labels");
        int[] want = org.labelprop.core.algo.ActiveLearning.suggest(g, known, PoissonLearning.fit(ref, g, known,
                PoissonLearning.Options.defaults(), Progress.NONE).prediction(), 5);
        assertArrayEquals(want, r.out().lines().mapToInt(Integer::parseInt).toArray(), r.out());
        assertEquals(301, csv(out).size());

        r = run("suggest", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--budget", "292", "--backend", "reference");
        assertEquals(2, r.code());
        assertEquals("labelprop: --budget is 292 but only 291 rows are unlabeled (see --help)", r.err().strip());
        r = run("suggest", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv", "--budget", "3", "--task",
                "regression");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--task regression: suggest ranks rows by class margins"), r.err());
    }

    @Test
    void regressionWritesTheLibrarysValuesAndRefusesRealLabelsInAClassification() throws IOException {
        writeBlobs();
        Path targets = dir.resolve("targets.csv");
        StringBuilder t = new StringBuilder("target\n");
        float[] want = new float[300];
        java.util.Arrays.fill(want, Float.NaN);
        for (int i = 0; i < 300; i += 10) {
            want[i] = 0.5f * (i % 3) + 0.25f;
            t.append(want[i]);
            t.append('\n');
            for (int j = 1; j < 10; j++) {
                t.append('\n');
            }
        }
        Files.writeString(targets, t);
        Path out = dir.resolve("pred.csv");
        Run r = run("propagate", "--features", features.toString(), "--labels", targets.toString(), "--out",
                out.toString(), "--task", "regression", "--algorithm", "propagation", "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        ReferenceBackend ref = new ReferenceBackend(ForkJoinPool.commonPool());
        org.labelprop.core.algo.Regression.Result lib = org.labelprop.core.algo.Regression.fit(ref,
                KnnGraph.build(ref, x, KnnGraph.Options.defaults(), Progress.NONE).graph(), want,
                org.labelprop.core.algo.Regression.Options.defaults(), Progress.NONE);
        List<String[]> rows = csv(out);
        assertArrayEquals(new String[] {"row", "value", "reliability"}, rows.get(0));
        for (int i = 0; i < 300; i++) {
            assertEquals(lib.value()[i], Float.parseFloat(rows.get(i + 1)[1]), 1e-6f, "row " + i);
        }

        r = run("propagate", "--features", features.toString(), "--labels", targets.toString(), "--out",
                out.toString(), "--backend", "reference");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("targets.csv: row 2: label 0.25 is neither a non-negative integer nor -1 "
                + "(unlabeled); real-valued targets are a regression task"), r.err());
    }

    @Test
    void labelConfidencesReachTheAlgorithm() throws IOException {
        writeBlobs();
        Path confidence = dir.resolve("confidence.csv");
        float[] c = new float[300];
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            c[i] = 0.25f + 0.75f * (i % 4) / 3f;
            text.append(c[i]).append('\n');
        }
        Files.writeString(confidence, text);
        Path out = dir.resolve("pred.csv");
        Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--label-confidence", confidence.toString(), "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        ReferenceBackend ref = new ReferenceBackend(ForkJoinPool.commonPool());
        PropagationResult want = LabelSpreading.fit(ref, KnnGraph.build(ref, x, KnnGraph.Options.defaults(),
                Progress.NONE).graph(), Labels.of(y, "labels").withConfidence(c, "c"), LabelSpreading.Options.defaults(),
                Progress.NONE);
        List<String[]> rows = csv(out);
        for (int i = 0; i < 300; i++) {
            assertEquals(want.prediction().confidence()[i], Float.parseFloat(rows.get(i + 1)[2]), 1e-6f, "row " + i);
        }
        Files.writeString(confidence, "2\n".repeat(300));
        r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--label-confidence", confidence.toString(), "--backend", "reference");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("confidence.csv: row 1: confidence 2.0 of a labeled row is outside (0, 1]"),
                r.err());
    }

    @Test
    void dataErrorsExitOneWithOneLineAndNoOutput() throws IOException {
        writeBlobs();
        Path shortLabels = dir.resolve("short.csv");
        Files.writeString(shortLabels, "0\n1\n-1\n");
        Path out = dir.resolve("pred.csv");
        Run r = run("propagate", "--features", features.toString(), "--labels", shortLabels.toString(), "--out",
                out.toString());
        assertEquals(1, r.code());
        // One error line (auto may add one line per backend it skipped, e.g. no GPU).
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("labelprop: error:")).count(), r.err());
        assertTrue(r.err().contains("features.csv has 300 rows but") && r.err().contains("short.csv has 3"), r.err());
        assertNoOutput();

        Path none = dir.resolve("none.csv");
        Files.writeString(none, "-1\n".repeat(300));
        r = run("propagate", "--features", features.toString(), "--labels", none.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("none.csv: no labeled row"), r.err());

        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "1,2\n3,NaN\n");
        Path two = dir.resolve("two.csv");
        Files.writeString(two, "0\n1\n");
        r = run("propagate", "--features", nan.toString(), "--labels", two.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nan.csv") && r.err().contains("row 2") && r.err().contains("column 2"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
        assertNoOutput();

        r = run("propagate", "--features", dir.resolve("missing.csv").toString(), "--labels", two.toString(),
                "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("missing.csv") && r.err().contains("not found"), r.err());
    }

    private void assertNoOutput() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("pred.csv")
                    || p.getFileName().toString().endsWith(".tmp")), "no output or temporary file left");
        }
    }

    @Test
    void usageErrorsExitTwo() {
        Run r = run("propagate", "--labels", "l.csv", "--out", "o.csv");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--features"), r.err());
        r = run("propagate", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv", "--metric", "manhattan");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("euclidean, cosine"), r.err());
        r = run("propagate", "--features", "f.csv", "--edges", "e.csv", "--labels", "l.csv", "--out", "o.csv");
        assertEquals(2, r.code());
        assertEquals(2, run("frobnicate").code());
        // Values out of range are usage errors too, named as the command line spells them.
        r = run("propagate", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv", "--alpha", "1.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--alpha must be in (0, 1), got 1.5"), r.err());
        r = run("propagate", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv", "--approximate=annoy");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--approximate must be nndescent or ivf, got 'annoy'"), r.err());
        r = run("propagate", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv", "--approximate",
                "--ivf-probes", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--ivf-probes must be at least 1, got 0"), r.err());
        r = run("propagate", "--features", "f.csv", "--labels", "l.csv", "--out", "o.csv", "--approximate",
                "--ivf-probe-ratio", "0.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--ivf-probe-ratio must be 0 (always all probes) or a finite number >= 1, got 0.5"),
                r.err());
    }

    @Test
    void badBackendIsAClearError() throws IOException {
        writeBlobs();
        Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                dir.resolve("p.csv").toString(), "--backend", "quantum");
        // A name no provider answers to is a usage error, named by its flag.
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--backend must be one of auto, ") && r.err().contains("got 'quantum'"), r.err());
    }

    @Test
    void quietDropsTheStageTimingsButNotTheSummaryOrErrors() throws IOException {
        writeBlobs();
        String[] args = {"propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                dir.resolve("p.csv").toString(), "--backend", "reference"};
        Run plain = run(args);
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.err().lines().anyMatch(l -> l.strip().startsWith("total")), plain.err());
        String[] quiet = java.util.Arrays.copyOf(args, args.length + 1);
        quiet[args.length] = "--quiet";
        Run q = run(quiet);
        assertEquals(0, q.code(), q.err());
        assertFalse(q.err().lines().anyMatch(l -> l.strip().startsWith("total")), q.err());
        assertTrue(q.err().contains("converged"), q.err());
        Run bad = run("propagate", "-q", "--features", dir.resolve("missing.csv").toString(), "--labels",
                labels.toString(), "--out", dir.resolve("p2.csv").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("labelprop: error: ") && bad.err().contains("missing.csv"), bad.err());
    }

    @Test
    void autoSaysThatAnAbsentGpuWasSkippedOnlyWithVerbose() throws IOException {
        try (Backend b = Backends.select("cuda",
                ForkJoinPool.commonPool(), note -> { })) {
            Assumptions.abort("a GPU is present: auto picks cuda");
        } catch (BackendUnavailableException e) {
            Assumptions.assumeTrue(e.absent(), "cuda is present but fails: " + e.getMessage());
        }
        writeBlobs();
        String[] args = {"propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                dir.resolve("p.csv").toString()};
        Run plain = run(args);
        assertEquals(0, plain.code(), plain.err());
        assertFalse(plain.err().contains("skipped"), plain.err());
        assertTrue(plain.err().contains("backend cpu"), plain.err());
        String[] verbose = java.util.Arrays.copyOf(args, args.length + 1);
        verbose[args.length] = "--verbose";
        Run v = run(verbose);
        assertEquals(0, v.code(), v.err());
        assertTrue(v.err().contains("labelprop: backend cuda skipped: "), v.err());
        // Asked for by name, the absent backend is still an error.
        String[] cuda = java.util.Arrays.copyOf(args, args.length + 2);
        cuda[args.length] = "--backend";
        cuda[args.length + 1] = "cuda";
        Run named = run(cuda);
        assertEquals(1, named.code());
        assertTrue(named.err().startsWith("labelprop: error: "), named.err());
    }

    @Test
    void truthPrintsTheEvaluationOfTheUnlabeledRowsAndEveryRunItsClassCountsAndConfidence() throws IOException {
        writeBlobs();
        Path truth = dir.resolve("truth.csv");
        // Blobs' true class is row % 3; the last row's truth is unknown, so 300 - 9 labeled - 1 rows are scored.
        Files.writeString(truth, java.util.stream.IntStream.range(0, 300).mapToObj(i -> i == 299 ? "-1"
                : Integer.toString(i % 3)).collect(Collectors.joining("\n", "", "\n")));
        Path out = dir.resolve("p.csv");
        Run r = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                out.toString(), "--truth", truth.toString(), "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = csv(out);
        long[] predicted = new long[3];
        int right = 0;
        int wrong = 0;
        for (int i = 0; i < 300; i++) {
            int label = Integer.parseInt(rows.get(i + 1)[1]);
            if (y[i] < 0) {
                predicted[label]++;
                if (i != 299) {
                    right += label == i % 3 ? 1 : 0;
                    wrong += label == i % 3 ? 0 : 1;
                }
            }
        }
        assertEquals(290, right + wrong);
        assertTrue(r.err().contains("predicted classes of 291 unlabeled rows: 0: " + predicted[0] + ", 1: "
                + predicted[1] + ", 2: " + predicted[2] + "\n"), r.err());
        assertTrue(r.err().contains("labelprop: confidence min "), r.err());
        assertTrue(r.err().contains(String.format(java.util.Locale.ROOT, "on 290 unlabeled rows with a true label: "
                + "accuracy %.2f%%", 100.0 * right / 290)), r.err());
        List<String> lines = r.err().lines().collect(Collectors.toList());
        int head = lines.indexOf(lines.stream().filter(l -> l.contains("confusion matrix")).findFirst().orElseThrow());
        assertEquals(List.of("0", "1", "2", "none"), List.of(lines.get(head + 1).trim().split(" +")));
        long diagonal = 0;
        long total = 0;
        for (int t = 0; t < 3; t++) {
            String[] cells = lines.get(head + 2 + t).trim().split(" +");
            assertEquals(Integer.toString(t), cells[0]);
            diagonal += Long.parseLong(cells[1 + t]);
            for (int q = 1; q < cells.length; q++) {
                total += Long.parseLong(cells[q]);
            }
            assertTrue(lines.stream().anyMatch(l -> l.trim().startsWith(cells[0] + " ") && l.contains(".")), r.err());
        }
        assertEquals(right, diagonal);
        assertEquals(290, total);

        Run short_ = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                dir.resolve("q.csv").toString(), "--truth", labels.resolveSibling("few.csv").toString());
        assertEquals(1, short_.code());
        Files.writeString(dir.resolve("few.csv"), "0\n1\n");
        short_ = run("propagate", "--features", features.toString(), "--labels", labels.toString(), "--out",
                dir.resolve("q.csv").toString(), "--truth", dir.resolve("few.csv").toString());
        assertEquals(1, short_.code());
        assertTrue(short_.err().contains("few.csv has 2 rows"), short_.err());
        Run regression = run("propagate", "--task", "regression", "--features", features.toString(), "--labels",
                labels.toString(), "--out", dir.resolve("q.csv").toString(), "--truth", truth.toString());
        assertEquals(2, regression.code(), regression.err());
    }

    @Test
    void infoListsTheBackends() {
        Run r = run("info");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("cpu") && r.out().contains("reference"), r.out());
    }

    @Test
    void demoOnGeneratedDataBeatsTheNearestLabeledBaseline() {
        Run r = run("demo", "--generated-only", "--seeds", "1");
        assertEquals(0, r.code(), r.err());
        String mean = r.out().lines().filter(l -> l.contains("mean over")).findFirst().orElseThrow();
        double spreading = Double.parseDouble(mean.replaceAll(".*label spreading ([0-9.]+)%.*", "$1"));
        double baseline = Double.parseDouble(mean.replaceAll(".*neighbour ([0-9.]+)%.*", "$1"));
        assertTrue(spreading > baseline + 5, mean);
    }
}
