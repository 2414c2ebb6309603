package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.cli.CliTest.Run;
import org.labelprop.core.testing.Fifos;

/**
 * Where the command line writes: never over an input, never replacing a symlink or a special file, checked
 * before the computation. Special files are FIFOs and symlinks made in the temporary folder, never /dev.
 */
class OutputRulesTest {
    @TempDir
    Path dir;

    private Path features;
    private Path labels;
    private String featureText;

    @BeforeEach
    void write() throws IOException {
        StringBuilder f = new StringBuilder();
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            int c = i % 2;
            f.append(c * 10 + i % 7 * 0.1).append(',').append(c * 10 - i % 5 * 0.1).append('\n');
            l.append(i < 4 ? Integer.toString(c) : "-1").append('\n');
        }
        featureText = f.toString();
        features = Files.writeString(dir.resolve("x.csv"), featureText);
        labels = Files.writeString(dir.resolve("y.csv"), l);
    }

    private Run propagate(String... more) {
        String[] base = {"propagate", "--features", features.toString(), "--labels", labels.toString(), "--k", "3",
            "--backend", "cpu"};
        return CliTest.run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    private Run selfTrain(String... more) {
        String[] base = {"self-train", "--features", features.toString(), "--labels", labels.toString(),
            "--model", "knn", "--k", "3", "--backend", "cpu"};
        return CliTest.run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    private void assertInputsUntouched() throws IOException {
        assertEquals(featureText, Files.readString(features));
        assertEquals(40, Files.readAllLines(labels).size());
    }

    @Test
    void anOutputNamingAnInputIsAUsageErrorAndTouchesNothing() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("alias.csv"), features);
        List<Run> runs = List.of(
                propagate("--out", features.toString()),
                propagate("--out", labels.toString()),
                propagate("--out", link.toString()),
                propagate("--out", dir.resolve("p.csv").toString(), "--graph-out", features.toString()),
                selfTrain("--out", labels.toString()),
                selfTrain("--out", dir.resolve("p.csv").toString(), "--history", features.toString()),
                selfTrain("--out", dir.resolve("p.csv").toString(), "--model-out", labels.toString()),
                selfTrain("--out", dir.resolve("p.csv").toString(), "--history", dir.resolve("p.csv").toString()));
        for (Run r : runs) {
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().lines().count() == 1 && r.err().contains("is also the"), r.err());
            assertInputsUntouched();
        }
        assertFalse(Files.exists(dir.resolve("p.csv")));
    }

    @Test
    void predictRefusesToWriteOverItsModel() throws IOException {
        Path model = dir.resolve("m.lpm");
        assertEquals(0, selfTrain("--out", dir.resolve("p.csv").toString(), "--model-out", model.toString()).code());
        byte[] saved = Files.readAllBytes(model);
        Run r = CliTest.run("predict", "--model", model.toString(), "--features", features.toString(),
                "--out", model.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out") && r.err().contains("--model"), r.err());
        assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(model)));
    }

    @Test
    void outputLocationIsCheckedBeforeTheComputationAndNamedByItsOption() {
        Run missing = propagate("--out", dir.resolve("no/such/dir/p.csv").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("labelprop: --out "), missing.err());
        assertFalse(missing.err().contains(".tmp"), missing.err());
        assertFalse(missing.err().contains("converged"), missing.err());
        Run root = propagate("--out", "/");
        assertEquals(2, root.code(), root.err());
        assertFalse(root.err().contains("NullPointer"), root.err());
        Run history = selfTrain("--out", dir.resolve("p.csv").toString(), "--history", dir.toString());
        assertEquals(2, history.code(), history.err());
        assertTrue(history.err().contains("--history"), history.err());
        assertFalse(Files.exists(dir.resolve("p.csv")));
    }

    @Test
    void aSymlinkedOutputKeepsItsLink() throws IOException {
        Path real = Files.writeString(dir.resolve("real.csv"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("out.csv"), real);
        Run r = propagate("--out", link.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(real).startsWith("row,label,confidence"));
    }

    @Test
    void aFifoOutputIsWrittenNotReplaced() throws Exception {
        Path fifo = dir.resolve("pipe.csv");
        Fifos.make(fifo);
        CompletableFuture<String> reader = Fifos.readInBackground(fifo);
        Run r = propagate("--out", fifo.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(reader.get(30, TimeUnit.SECONDS).startsWith("row,label,confidence"));
        assertFalse(Files.isRegularFile(fifo));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void tooManyThreadsIsAUsageError() {
        Run r = propagate("--out", dir.resolve("p.csv").toString(), "--threads", "40000");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--threads"), r.err());
        Run backend = CliTest.run("propagate", "--features", features.toString(), "--labels", labels.toString(),
                "--out", dir.resolve("p.csv").toString(), "--backend", "gpu9000");
        assertEquals(2, backend.code(), backend.err());
    }

    @Test
    void aDirectoryAsInputNamesIt() {
        for (String input : List.of("/", dir.toString())) {
            Run r = CliTest.run("propagate", "--features", input, "--labels", labels.toString(),
                    "--out", dir.resolve("p.csv").toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains(input + ": is a directory"), r.err());
        }
    }

    @Test
    void dashIsStandardOutput() {
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        Run r;
        try {
            r = propagate("--out", "-");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, r.code(), r.err());
        assertTrue(captured.toString().startsWith("row,label,confidence\n0,"), captured.toString());
        assertFalse(Files.exists(dir.resolve("-")));
        assertFalse(Files.exists(Path.of("-")));
    }
}
