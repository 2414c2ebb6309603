package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.testing.TestData;

/**
 * Every command owns its backend and worker pool and closes both: once a run returns, no thread it started
 * is still alive (daemon or not), so a library user or a test harness calling the CLI in-process is left
 * with nothing running.
 */
class OwnedResourcesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"propagate", "self-train", "demo", "bench", "info"})
    void aCommandRunLeavesNoThreadBehind(String command) throws Exception {
        Path features = dir.resolve("x.csv");
        Path labels = dir.resolve("y.csv");
        FloatMatrix x = TestData.blobs(3, 40, 3, 1f, 4);
        int[] y = TestData.fewLabels(120, 3, 4);
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < x.rows(); i++) {
            f.append(x.get(i, 0)).append(',').append(x.get(i, 1)).append(',').append(x.get(i, 2)).append('\n');
        }
        Files.writeString(features, f);
        Files.writeString(labels, java.util.Arrays.stream(y).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n")));
        String[] args = switch (command) {
            case "propagate", "self-train" -> new String[] {command, "--features", features.toString(), "--labels",
                labels.toString(), "--out", dir.resolve("out.csv").toString(), "--threads", "3"};
            case "demo" -> new String[] {"demo", "--generated-only", "--seeds", "1", "--threads", "3"};
            case "bench" -> new String[] {"bench", "clusters-1m", "--rows", "500", "--threads", "3"};
            default -> new String[] {command};
        };
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        CliTest.Run run = CliTest.run(args);
        assertEquals(Main.OK, run.code(), run.err());
        assertEquals(List.of(), startedAndAlive(before), "threads left running by " + command);
    }

    /** Threads alive now that were not before, after giving finished ones a moment to exit. */
    private static List<String> startedAndAlive(Set<Thread> before) throws InterruptedException {
        List<String> left = List.of();
        for (int attempt = 0; attempt < 50; attempt++) {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive())
                    .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                    .sorted().collect(Collectors.toList());
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return left;
    }
}
