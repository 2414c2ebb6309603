package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.io.LabelReader;
import org.labelprop.core.io.NpyFile;
import org.labelprop.core.testing.TestData;

/**
 * Labels that are class names, through every command: each run against the same run with integer labels,
 * whose outputs mapped through the names must be what the names run writes. The names sort in the opposite
 * order of the integers they stand for, so a class column mixed up anywhere shows.
 */
class NamedLabelsTest {
    /** Integer label k is called NAME[k]; sorted by code point they are Cat (2), ankle boot (1), zebra (0). */
    private static final String[] NAME = {"zebra", "ankle boot", "Cat"};
    private static final int ROWS = 150;

    @TempDir
    Path dir;

    private Path features;
    private Path ints;
    private Path names;
    private Path intTruth;
    private Path nameTruth;

    @BeforeEach
    void write() throws IOException {
        FloatMatrix x = TestData.blobs(3, ROWS / 3, 4, 3f, 11);
        int[] given = TestData.fewLabels(ROWS, 3, 4);
        int[] truth = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            truth[i] = i % 3;
        }
        features = dir.resolve("x.npy");
        NpyFile.writeMatrix(features, x);
        ints = lines("y.csv", given, false);
        names = lines("names.csv", given, true);
        intTruth = lines("truth.csv", truth, false);
        nameTruth = lines("truth-names.csv", truth, true);
    }

    /** One label per line, a header first; -1 empty; as names when {@code named}. */
    private Path lines(String file, int[] labels, boolean named) throws IOException {
        return Files.writeString(dir.resolve(file), java.util.Arrays.stream(labels)
                .mapToObj(v -> v < 0 ? "" : named ? NAME[v] : Integer.toString(v))
                .collect(Collectors.joining("\n", "label\n", "\n")));
    }

    private static List<String[]> csv(Path p) throws IOException {
        return Files.readAllLines(p).stream().map(l -> l.split(",", -1)).collect(Collectors.toList());
    }

    private static String[] args(String command, Path labels, String... more) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(command, "--labels", labels.toString()),
                java.util.stream.Stream.of(more)).toArray(String[]::new);
    }

    private static CliTest.Run ok(String... args) {
        CliTest.Run r = CliTest.run(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    /**
     * The names run's CSV is the integer run's with each label named, and each probability column named and
     * in the names' order.
     */
    private static void assertNamedLike(Path intOut, Path nameOut) throws IOException {
        List<String[]> a = csv(intOut);
        List<String[]> b = csv(nameOut);
        assertEquals(a.size(), b.size());
        String[] header = a.get(0);
        List<String> named = List.of(b.get(0));
        assertEquals(header.length, named.size());
        int[] column = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            column[c] = named.indexOf(c < 3 ? header[c] : "p_" + NAME[Integer.parseInt(header[c].substring(2))]);
            assertTrue(column[c] >= 0, named + " lacks " + header[c]);
        }
        for (int i = 1; i < a.size(); i++) {
            String[] expected = a.get(i).clone();
            expected[1] = expected[1].equals("-1") ? "" : NAME[Integer.parseInt(expected[1])];
            for (int c = 0; c < header.length; c++) {
                assertEquals(expected[c], b.get(i)[column[c]], "row " + i + ", " + header[c]);
            }
        }
        if (header.length > 3) {
            assertEquals(List.of("row", "label", "confidence", "p_Cat", "p_ankle boot", "p_zebra"), named);
        }
    }

    @Test
    void propagateWithNamesPredictsWhatIntegersDoAndEvaluatesByName() throws IOException {
        Path intOut = dir.resolve("int.csv");
        Path nameOut = dir.resolve("names-out.csv");
        Path intJson = dir.resolve("int.json");
        Path nameJson = dir.resolve("names.json");
        CliTest.Run i = ok(args("propagate", ints, "--features", features.toString(), "--out", intOut.toString(),
                "--probabilities", "--truth", intTruth.toString(), "--json", intJson.toString()));
        CliTest.Run n = ok(args("propagate", names, "--features", features.toString(), "--out", nameOut.toString(),
                "--probabilities", "--truth", nameTruth.toString(), "--json", nameJson.toString()));
        assertNamedLike(intOut, nameOut);

        String accuracy = line(i.err(), "accuracy");
        assertEquals(accuracy.replace(intTruth.toString(), nameTruth.toString()), line(n.err(), "accuracy"));
        assertTrue(line(n.err(), "predicted classes").matches(".*: Cat: \\d+, ankle boot: \\d+, zebra: \\d+"),
                n.err());
        assertTrue(n.err().lines().anyMatch(l -> l.startsWith("  ankle boot ")), n.err());

        JsonObject ij = JsonParser.parseString(Files.readString(intJson)).getAsJsonObject();
        JsonObject nj = JsonParser.parseString(Files.readString(nameJson)).getAsJsonObject();
        assertEquals("[\"Cat\",\"ankle boot\",\"zebra\"]", nj.getAsJsonObject("input").get("class_names").toString());
        assertTrue(ij.getAsJsonObject("input").get("class_names").isJsonNull());
        JsonObject intCounts = ij.getAsJsonObject("prediction").getAsJsonObject("class_counts");
        JsonObject nameCounts = nj.getAsJsonObject("prediction").getAsJsonObject("class_counts");
        for (int k = 0; k < 3; k++) {
            assertEquals(intCounts.get(Integer.toString(k)), nameCounts.get(NAME[k]));
        }
        JsonObject ie = ij.getAsJsonObject("evaluation");
        JsonObject ne = nj.getAsJsonObject("evaluation");
        assertEquals(ie.get("accuracy"), ne.get("accuracy"));
        assertEquals("Cat", ne.getAsJsonArray("classes").get(0).getAsJsonObject().get("class").getAsString());
        assertEquals(2, ie.getAsJsonArray("classes").get(0).getAsJsonObject().get("class").getAsInt() + 2);
        // The confusion matrix by name: Cat's row is the integer run's class 2 row, columns in name order.
        assertEquals(ie.getAsJsonArray("confusion").get(2).getAsJsonArray().get(2),
                ne.getAsJsonArray("confusion").get(0).getAsJsonArray().get(0));
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst().orElseThrow(() -> new AssertionError(text));
    }

    @Test
    void aTruthNameTheLabelsLackIsOneLine() throws IOException {
        Path truth = Files.writeString(dir.resolve("bad-truth.csv"), "label\nzebra\nCat\ncow\n"
                + "zebra\n".repeat(ROWS - 3));
        CliTest.Run r = CliTest.run(args("propagate", names, "--features", features.toString(), "--out",
                dir.resolve("o.csv").toString(), "--truth", truth.toString()));
        assertEquals(1, r.code());
        assertEquals("labelprop: error: " + truth + ": row 4: label 'cow' is not one of the labels' classes ('Cat', "
                + "'ankle boot', 'zebra')", r.err().strip());
    }

    @Test
    void aFirstNameTakenForAHeaderIsExplainedByTheRowCount() throws IOException {
        // No header line, and the first row's name occurs nowhere else: it is read as a header.
        Path y = Files.writeString(dir.resolve("noheader.csv"), "Cat\nzebra\nankle boot\n" + "\n".repeat(ROWS - 3));
        CliTest.Run r = CliTest.run(args("propagate", y, "--features", features.toString(), "--out",
                dir.resolve("o.csv").toString()));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("has 150 rows but " + y + " has 149 (its first line 'Cat' was read as a header"),
                r.err());
    }

    @Test
    void classPriorsByName() throws IOException {
        Path intPriors = Files.writeString(dir.resolve("p.csv"), "label,prior\n0,0.5\n1,0.25\n2,0.25\n");
        Path namePriors = Files.writeString(dir.resolve("q.csv"), "label,prior\nzebra,0.5\nankle boot,0.25\nCat,0.25\n");
        Path intOut = dir.resolve("int.csv");
        Path nameOut = dir.resolve("names-out.csv");
        ok(args("propagate", ints, "--features", features.toString(), "--out", intOut.toString(), "--algorithm",
                "poisson", "--class-priors", intPriors.toString()));
        ok(args("propagate", names, "--features", features.toString(), "--out", nameOut.toString(), "--algorithm",
                "poisson", "--class-priors", namePriors.toString()));
        assertNamedLike(intOut, nameOut);
        Path missing = Files.writeString(dir.resolve("r.csv"), "zebra,0.5\nCat,0.5\n");
        CliTest.Run r = CliTest.run(args("propagate", names, "--features", features.toString(), "--out",
                nameOut.toString(), "--class-priors", missing.toString()));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no prior for class ankle boot; give one per class [Cat, ankle boot, zebra]"),
                r.err());
    }

    @Test
    void propagateModelOutThenPredictWritesNames() throws IOException {
        Path intModel = dir.resolve("int.lpm");
        Path nameModel = dir.resolve("names.lpm");
        ok(args("propagate", ints, "--features", features.toString(), "--out", dir.resolve("a.csv").toString(),
                "--model-out", intModel.toString()));
        ok(args("propagate", names, "--features", features.toString(), "--out", dir.resolve("b.csv").toString(),
                "--model-out", nameModel.toString()));
        Path intOut = dir.resolve("int-predict.csv");
        Path nameOut = dir.resolve("name-predict.csv");
        ok("predict", "--model", intModel.toString(), "--features", features.toString(), "--out", intOut.toString(),
                "--probabilities");
        ok("predict", "--model", nameModel.toString(), "--features", features.toString(), "--out",
                nameOut.toString(), "--probabilities");
        assertNamedLike(intOut, nameOut);
    }

    @Test
    void selfTrainAndPseudoLabelWithNamesValidationHistoryAndModel() throws IOException {
        for (String command : new String[] {"self-train", "pseudo-label"}) {
            Path intOut = dir.resolve(command + "-int.csv");
            Path nameOut = dir.resolve(command + "-names.csv");
            Path intModel = dir.resolve(command + "-int.lpm");
            Path nameModel = dir.resolve(command + "-names.lpm");
            Path history = dir.resolve(command + "-history.csv");
            Path json = dir.resolve(command + ".json");
            Path validation = Files.writeString(dir.resolve("validation.csv"), "label\n" + java.util.stream.IntStream
                    .range(0, ROWS).mapToObj(i -> i % 10 == 9 && !labeled(i) ? NAME[i % 3] : "")
                    .collect(Collectors.joining("\n", "", "\n")));
            ok(args(command, ints, "--features", features.toString(), "--out", intOut.toString(), "--probabilities",
                    "--model-out", intModel.toString()));
            ok(args(command, names, "--features", features.toString(), "--out", nameOut.toString(),
                    "--probabilities", "--model-out", nameModel.toString(), "--history", history.toString(),
                    "--validation", validation.toString(), "--json", json.toString()));
            assertNamedLike(intOut, nameOut);
            assertTrue(Files.readAllLines(history).get(0).endsWith(",n_Cat,n_ankle boot,n_zebra"),
                    Files.readAllLines(history).get(0));
            assertTrue(Files.readString(json).contains("\"ankle boot\": "), Files.readString(json));
            Path intPredict = dir.resolve(command + "-int-predict.csv");
            Path namePredict = dir.resolve(command + "-name-predict.csv");
            ok("predict", "--model", intModel.toString(), "--features", features.toString(), "--out",
                    intPredict.toString());
            ok("predict", "--model", nameModel.toString(), "--features", features.toString(), "--out",
                    namePredict.toString());
            assertNamedLike(intPredict, namePredict);
        }
    }

    private boolean labeled(int row) {
        try {
            return LabelReader.read(ints)[row] >= 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void reportShowsNamesAndNpyHoldsClassIds() throws IOException {
        Path report = dir.resolve("r.html");
        Path npy = dir.resolve("p.npy");
        Path csvOut = dir.resolve("p.csv");
        ok(args("propagate", names, "--features", features.toString(), "--out", csvOut.toString(), "--truth",
                nameTruth.toString(), "--report", report.toString()));
        String html = Files.readString(report);
        assertTrue(html.contains("data-true=\"ankle boot\" data-predicted=\"Cat\""), "confusion cells by name");
        assertTrue(html.contains("</span> ankle boot"), "legend by name");
        assertTrue(html.contains("data-class=\"zebra\""), "class bars by name");
        ok(args("propagate", names, "--features", features.toString(), "--out", npy.toString()));
        FloatMatrix ids = org.labelprop.core.io.FeatureReader.read(npy);
        List<String[]> rows = csv(csvOut);
        List<String> order = List.of("Cat", "ankle boot", "zebra");
        for (int i = 0; i < ids.rows(); i++) {
            assertEquals(order.indexOf(rows.get(i + 1)[1]), (int) ids.get(i, 0), "row " + i);
        }
    }
}
