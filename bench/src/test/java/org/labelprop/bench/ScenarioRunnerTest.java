package org.labelprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import org.labelprop.core.data.FashionMnist;
import org.labelprop.core.io.NpyFile;

/**
 * The runner end to end at a tiny size: the JSON it writes parses, holds what bench/scripts and
 * docs/benchmarks.md read, and every figure is in its range. Speed is not checked here (that is what the
 * runner is for).
 */
class ScenarioRunnerTest {
    private static final ForkJoinPool WORKERS = new ForkJoinPool(2);

    @TempDir
    Path dir;

    @AfterAll
    static void stopWorkers() {
        WORKERS.shutdown();
    }

    @Test
    void generatedScenariosWriteEveryFigureInRange() throws IOException {
        StringWriter printed = new StringWriter();
        JsonObject json = run(List.of(Scenario.CLUSTERS_1M, Scenario.CLUSTERS_1M_EXACT, Scenario.SBM_10M),
                new ScenarioRunner.Options(2000, null, dir), printed);
        assertEquals(List.of(BenchReport.MACHINE, "clusters-1m", "clusters-1m-exact", "sbm-10m"),
                List.copyOf(json.keySet()));
        JsonObject machine = json.getAsJsonObject(BenchReport.MACHINE);
        positive(machine, "triad_GBs", "random_line_ns");

        JsonObject approx = json.getAsJsonObject("clusters-1m");
        positive(approx, "generate_2000_x_128_seconds", "knn_graph_inverted_file_seconds",
                "weights_symmetrization_seconds", "recall_estimate_seconds", "knn_seconds", "peak_heap_GiB");
        fraction(approx, "recall_at_10");
        assertEquals(approx.get("knn_seconds"), approx.get("knn_graph_inverted_file_seconds"));

        JsonObject exact = json.getAsJsonObject("clusters-1m-exact");
        positive(exact, "knn_graph_exact_seconds", "knn_GFLOPs", "weights_symmetrization_seconds",
                "label_spreading_seconds", "spreading_steps", "step_ms", "step_GBs", "peak_heap_GiB");
        fraction(exact, "accuracy");
        // 100 clusters far apart with 10 labels each: spreading finds them all.
        assertTrue(exact.get("accuracy").getAsDouble() > 0.99, exact.toString());

        JsonObject sbm = json.getAsJsonObject("sbm-10m");
        positive(sbm, "generate_write_edge_list_seconds", "read_edge_list_seconds", "build_csr_symmetrized_seconds",
                "label_spreading_seconds", "step_ms", "random_gather_floor_ms");
        fraction(sbm, "accuracy");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("labelprop-sbm-")),
                    "the edge list was left behind");
        }

        String text = printed.toString();
        for (String line : new String[] {"kNN graph (inverted file)", "kNN graph (exact)", "weights + symmetrization",
            "label spreading", "accuracy on hidden rows", "random-gather floor of a step", "peak heap"}) {
            assertTrue(text.contains("  " + line), "no line '" + line + "' in\n" + text);
        }
    }

    @Test
    void fashionMnistScenariosWriteWhatTheSklearnComparisonReads() throws IOException {
        assumeTrue(FashionMnist.isPresent(FashionMnist.DEFAULT_DIR),
                FashionMnist.DEFAULT_DIR + " absent (apt-get install dataset-fashion-mnist)");
        Path labels = dir.resolve("labels.npy");
        JsonObject json = run(List.of(Scenario.FASHION_MNIST, Scenario.FASHION_MNIST_APPROX),
                new ScenarioRunner.Options(2000, labels, dir), new StringWriter());
        JsonObject exact = json.getAsJsonObject("fashion-mnist");
        JsonObject approx = json.getAsJsonObject("fashion-mnist-approx");
        positive(exact, "load_seconds", "knn_graph_exact_seconds", "knn_GFLOPs", "label_spreading_seconds");
        positive(approx, "knn_graph_inverted_file_seconds", "recall_estimate_seconds");
        fraction(exact, "accuracy");
        fraction(approx, "accuracy");
        fraction(approx, "recall_at_10");
        assertTrue(exact.get("accuracy").getAsDouble() > 0.5, exact.toString());
        int[] split = NpyFile.readInts(labels);
        assertEquals(2000, split.length);
    }

    private JsonObject run(List<Scenario> scenarios, ScenarioRunner.Options options, StringWriter printed)
            throws IOException {
        Path file = dir.resolve("bench.json");
        try (Backend backend = Backends.select("cpu", WORKERS, note -> { })) {
            ScenarioRunner.run(backend, scenarios, options, new PrintWriter(printed, true)).writeJson(file);
        }
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    private static void positive(JsonObject o, String... keys) {
        for (String key : keys) {
            assertTrue(o.has(key), "no " + key + " in " + o);
            double v = o.get(key).getAsDouble();
            assertTrue(v > 0 && Double.isFinite(v), key + " = " + v);
        }
    }

    private static void fraction(JsonObject o, String key) {
        assertTrue(o.has(key), "no " + key + " in " + o);
        double v = o.get(key).getAsDouble();
        assertTrue(v >= 0 && v <= 1, key + " = " + v);
    }
}
