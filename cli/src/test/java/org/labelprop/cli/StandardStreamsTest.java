package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.cli.CliTest.Run;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.io.NpyFile;
import org.labelprop.core.testing.TestData;

/** {@code -} as an input (standard input, format sniffed) and as --out (standard output, nothing else on it). */
class StandardStreamsTest {
    @TempDir
    Path dir;

    private Path featuresCsv;
    private Path featuresNpy;
    private Path labels;

    @BeforeEach
    void write() throws IOException {
        FloatMatrix x = TestData.blobs(3, 40, 3, 1.5f, 5);
        int[] y = TestData.fewLabels(120, 3, 2);
        featuresNpy = dir.resolve("x.npy");
        NpyFile.writeMatrix(featuresNpy, x);
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < x.rows(); i++) {
            for (int t = 0; t < x.cols(); t++) {
                f.append(t == 0 ? "" : ",").append(x.get(i, t));
            }
            f.append('\n');
        }
        featuresCsv = Files.writeString(dir.resolve("x.csv"), f);
        labels = Files.writeString(dir.resolve("y.csv"), java.util.Arrays.stream(y)
                .mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
    }

    /** Exit code, stdout and stderr of one run with {@code stdin} as standard input; stdout is System.out. */
    static Run run(byte[] stdin, String... args) {
        InputStream savedIn = System.in;
        PrintStream savedOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setIn(new ByteArrayInputStream(stdin));
        System.setOut(new PrintStream(out, true));
        try {
            Run r = CliTest.run(args);
            return new Run(r.code(), out.toString(StandardCharsets.UTF_8) + r.out(), r.err());
        } finally {
            System.setIn(savedIn);
            System.setOut(savedOut);
        }
    }

    private static String[] args(String command, String... more) {
        return Stream.concat(Stream.of(command, "--k", "5", "--backend", "reference", "-q"), Stream.of(more))
                .toArray(String[]::new);
    }

    /** The predictions of the same run with every input a file. */
    private String fileRun(String command, String... more) throws IOException {
        Path out = dir.resolve("file-run.csv");
        Run r = run(new byte[0], args(command, Stream.concat(Stream.of("--features", featuresCsv.toString(),
                "--labels", labels.toString(), "--out", out.toString()), Stream.of(more)).toArray(String[]::new)));
        assertEquals(0, r.code(), r.err());
        return Files.readString(out);
    }

    @Test
    void featuresFromStandardInputInEachFormatPredictAsFromTheFile() throws IOException {
        String want = fileRun("propagate");
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gzip)) {
            z.write(Files.readAllBytes(featuresNpy));
        }
        for (byte[] stdin : new byte[][] {Files.readAllBytes(featuresCsv), Files.readAllBytes(featuresNpy),
                gzip.toByteArray()}) {
            Path out = dir.resolve("stdin-run.csv");
            Run r = run(stdin, args("propagate", "--features", "-", "--labels", labels.toString(), "--out",
                    out.toString()));
            assertEquals(0, r.code(), r.err());
            assertEquals(want, Files.readString(out));
        }
    }

    @Test
    void labelsFromStandardInputAndPredictionsToStandardOutputLeaveNothingElseOnIt() throws IOException {
        String want = fileRun("propagate");
        Run r = run(Files.readAllBytes(labels), args("propagate", "--features", featuresNpy.toString(), "--labels",
                "-", "--out", "-"));
        assertEquals(0, r.code(), r.err());
        assertEquals(want, r.out());
        assertTrue(r.err().contains("predicted classes of"), r.err());
    }

    @Test
    void selfTrainAndPseudoLabelReadStandardInputToo() throws IOException {
        for (String command : new String[] {"self-train", "pseudo-label"}) {
            String want = fileRun(command, "--model", "knn");
            Run r = run(Files.readAllBytes(featuresCsv), args(command, "--model", "knn", "--features", "-",
                    "--labels", labels.toString(), "--out", "-"));
            assertEquals(0, r.code(), r.err());
            assertEquals(want, r.out(), command);
        }
    }

    @Test
    void twoInputsOnStandardInputIsAUsageError() throws IOException {
        Run r = run(Files.readAllBytes(labels), args("propagate", "--features", "-", "--labels", "-", "--out",
                dir.resolve("p.csv").toString()));
        assertEquals(Main.USAGE_ERROR, r.code(), r.err());
        assertEquals("labelprop: --labels - is standard input, which --features - reads already; only one input "
                + "can be - (see --help)\n", r.err());
    }

    @Test
    void badDataOnStandardInputIsNamedSoAndItsCopyIsDeleted() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = stdinCopies(tmp);
        Run r = run("1,2,3\n4,x,6\n".getBytes(StandardCharsets.UTF_8), args("propagate", "--features", "-",
                "--labels", labels.toString(), "--out", dir.resolve("p.csv").toString()));
        assertEquals(Main.DATA_ERROR, r.code(), r.err());
        assertTrue(r.err().startsWith("labelprop: error: standard input: row 2, column 2: "), r.err());
        assertFalse(r.err().contains(tmp.toString()), r.err());
        assertEquals(before, stdinCopies(tmp));
    }

    @Test
    void suggestWithPredictionsOnStandardOutputNeedsRowsOut() {
        Run r = run(new byte[0], args("suggest", "--features", featuresCsv.toString(), "--labels",
                labels.toString(), "--out", "-", "--budget", "3"));
        assertEquals(Main.USAGE_ERROR, r.code(), r.err());
        assertTrue(r.err().contains("--rows-out"), r.err());
        assertEquals("", r.out());
    }

    private static long stdinCopies(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("labelprop-stdin")).count();
        }
    }
}
