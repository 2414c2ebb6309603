package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.cli.CliTest.Run;

/** --json read back: every value against what the same run wrote and printed. */
class JsonSummaryTest {
    private static final int ROWS = BlobFiles.ROWS;
    private static final int CLASSES = BlobFiles.CLASSES;

    @TempDir
    Path dir;

    private BlobFiles files;

    @BeforeEach
    void write() throws IOException {
        files = BlobFiles.write(dir, "truth.csv");
    }

    @Test
    void propagateSummaryMatchesThePredictionsAndTheEvaluation() throws IOException {
        Path out = dir.resolve("p.csv");
        Path json = dir.resolve("run.json");
        Run r = CliTest.run(files.args("propagate", "--out", out.toString(), "--truth", files.truth().toString(),
                "--json", json.toString(), "--k", "6", "--backend", "reference"));
        assertEquals(0, r.code(), r.err());
        JsonObject s = JsonParser.parseString(Files.readString(json)).getAsJsonObject();

        assertEquals("propagate", s.get("command").getAsString());
        JsonObject in = s.getAsJsonObject("input");
        assertEquals(ROWS, in.get("rows").getAsInt());
        assertEquals(4, in.get("features").getAsInt());
        assertEquals(BlobFiles.LABELED_PER_CLASS * CLASSES, in.get("labeled").getAsInt());
        assertEquals(CLASSES, in.get("classes").getAsInt());
        Matcher edges = Pattern.compile("graph (\\d+) edges, backend (\\w+)").matcher(r.err());
        assertTrue(edges.find(), r.err());
        assertEquals(Long.parseLong(edges.group(1)), in.get("graph_edges").getAsLong());
        assertEquals(edges.group(2), s.get("backend").getAsString());

        JsonObject options = s.getAsJsonObject("options");
        assertEquals("spreading", options.get("algorithm").getAsString());
        assertEquals(6, options.getAsJsonObject("graph").get("k").getAsInt());
        assertEquals("self-tuning", options.getAsJsonObject("graph").get("weighting").getAsString());
        assertEquals("exact", options.getAsJsonObject("graph").getAsJsonObject("search").get("method").getAsString());
        assertEquals(0.99f, options.getAsJsonObject("spreading").get("alpha").getAsFloat());
        assertEquals(1000, options.getAsJsonObject("spreading").get("maxIter").getAsInt());

        Matcher iterations = Pattern.compile("converged after (\\d+) iterations").matcher(r.err());
        assertTrue(iterations.find(), r.err());
        assertEquals(Integer.parseInt(iterations.group(1)), s.get("iterations").getAsInt());
        assertTrue(s.get("converged").getAsBoolean());
        assertEquals(s.get("iterations").getAsInt(), s.getAsJsonArray("residuals").size());
        assertTrue(s.getAsJsonObject("stages").has("graph"), s.toString());

        // Class counts, confidence and accuracy over the unlabeled rows, recomputed from the written CSV.
        List<String[]> rows = Files.readAllLines(out).stream().skip(1).map(l -> l.split(","))
                .collect(Collectors.toList());
        long[] counts = new long[CLASSES];
        double minConfidence = 1;
        int unlabeled = 0;
        int right = 0;
        for (int i = 0; i < ROWS; i++) {
            if (files.given()[i] < 0) {
                int label = Integer.parseInt(rows.get(i)[1]);
                counts[label]++;
                minConfidence = Math.min(minConfidence, Double.parseDouble(rows.get(i)[2]));
                unlabeled++;
                right += label == BlobFiles.trueClass(i) ? 1 : 0;
            }
        }
        JsonObject prediction = s.getAsJsonObject("prediction");
        assertEquals(unlabeled, prediction.get("rows").getAsInt());
        for (int c = 0; c < CLASSES; c++) {
            assertEquals(counts[c], prediction.getAsJsonObject("class_counts").get(Integer.toString(c)).getAsLong());
        }
        assertEquals(0, prediction.get("no_label").getAsLong());
        assertEquals(minConfidence, prediction.getAsJsonObject("confidence").get("min").getAsDouble(), 1e-6);

        JsonObject evaluation = s.getAsJsonObject("evaluation");
        assertEquals(unlabeled, evaluation.get("scored").getAsLong());
        assertEquals((double) right / unlabeled, evaluation.get("accuracy").getAsDouble(), 1e-12);
        assertTrue(right < unlabeled, "the data should leave errors to count");
        JsonArray confusion = evaluation.getAsJsonArray("confusion");
        long diagonal = 0;
        for (int t = 0; t < CLASSES; t++) {
            diagonal += confusion.get(t).getAsJsonArray().get(t).getAsLong();
            assertEquals(CLASSES + 1, confusion.get(t).getAsJsonArray().size());
        }
        assertEquals(right, diagonal);
    }

    @Test
    void summaryOnStandardOutputIsTheOnlyThingThere() throws IOException {
        Run r = StandardStreamsTest.run(new byte[0], files.args("propagate", "--out", dir.resolve("p.csv").toString(),
                "--json", "-", "--backend", "reference"));
        assertEquals(0, r.code(), r.err());
        assertEquals(ROWS, JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("input").get("rows")
                .getAsInt());

        Run both = StandardStreamsTest.run(new byte[0], files.args("propagate", "--out", "-", "--json", "-"));
        assertEquals(Main.USAGE_ERROR, both.code(), both.err());
        assertTrue(both.err().contains("--json -: standard output is already --out -"), both.err());
    }

    @Test
    void selfTrainSummaryMatchesItsHistory() throws IOException {
        Path history = dir.resolve("h.csv");
        Path json = dir.resolve("run.json");
        Run r = CliTest.run(files.args("self-train", "--out", dir.resolve("p.csv").toString(), "--model", "knn", "--k",
                "5", "--max-rounds", "3", "--history", history.toString(), "--json", json.toString(), "--model-out",
                dir.resolve("m.model").toString(), "--backend", "reference"));
        assertEquals(0, r.code(), r.err());
        JsonObject s = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals("self-train", s.get("command").getAsString());
        assertEquals("knn", s.getAsJsonObject("options").get("model").getAsString());
        assertEquals(3, s.getAsJsonObject("options").getAsJsonObject("loop").get("maxRounds").getAsInt());
        List<String> rounds = Files.readAllLines(history);
        assertEquals(rounds.size() - 2, s.get("rounds").getAsInt());
        String[] last = rounds.get(rounds.size() - 1).split(",");
        int labeled = BlobFiles.LABELED_PER_CLASS * CLASSES;
        assertEquals(Integer.parseInt(last[2]) - labeled, s.get("pseudo_labeled").getAsInt());
        assertEquals(ROWS - labeled, s.getAsJsonObject("prediction").get("rows").getAsInt());
        assertEquals(List.of("read features", "read labels", "self-training", "model for new rows"),
                List.copyOf(s.getAsJsonObject("stages").keySet()));
    }
}
