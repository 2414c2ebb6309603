package org.labelprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.Convergence;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.data.Dataset;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.data.Synthetic;
import org.labelprop.core.search.KnnGraph;

/** The spark-submit entry: the CLI's files and options in, the CLI's columns out, the CLI's exit codes. */
class MainTest {
    @TempDir
    Path dir;

    record Outcome(int status, String out, String err) {
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(LocalSpark.session(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines);
    }

    /** Features as CSV lines with a header, labels one per line: the files the CLI reads. */
    record Files2(Path features, Path labels, FloatMatrix x, int[] labelValues) {
    }

    Files2 curves() throws IOException {
        Dataset data = Synthetic.curves(3, 80, 6, 0.05f, 4);
        FloatMatrix x = data.features();
        List<String> rows = new ArrayList<>();
        rows.add("a,b,c,d,e,f");
        for (int i = 0; i < x.rows(); i++) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < x.cols(); j++) {
                line.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", x.get(i, j)));
            }
            rows.add(line.toString());
        }
        int[] labels = LabelSplit.perClass(data.truth(), 4, 4);
        List<String> l = new ArrayList<>();
        for (int v : labels) {
            l.add(Integer.toString(v));
        }
        return new Files2(write("x.csv", rows), write("y.csv", l), x, labels);
    }

    @Test
    void propagateWritesTheCliColumnsWithCoresPredictions() throws IOException {
        Files2 f = curves();
        Path out = dir.resolve("pred");
        Outcome o = run("propagate", "--features", f.features().toString(), "--labels", f.labels().toString(),
                "--out", out.toString(), "--alpha", "0.9", "--blocks", "3");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("iterations (converged)"), o.out());
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path p : parts.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
                List<String> l = Files.readAllLines(p);
                assertEquals("row,label,confidence", l.get(0));
                lines.addAll(l.subList(1, l.size()));
            }
        }
        LabelSpreading.Options options = new LabelSpreading.Options(0.9f, 1e-5, 1000, Convergence.RELATIVE_CHANGE,
                true, true);
        int[] want = LabelSpreading.fit(SparkPropagationTest.REFERENCE,
                KnnGraph.build(SparkPropagationTest.REFERENCE, f.x(), KnnGraph.Options.defaults(), Progress.NONE)
                        .graph(), Labels.of(f.labelValues(), "y"), options, Progress.NONE).prediction().label();
        assertEquals(want.length, lines.size());
        for (int i = 0; i < want.length; i++) {
            String[] cells = lines.get(i).split(",");
            assertEquals(i, Integer.parseInt(cells[0]), "rows in order");
            assertEquals(want[i], Integer.parseInt(cells[1]), "label of row " + i);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary left");
        }
    }

    /** Parquet in (features with ids and labels, no labels file) and out: the same predictions, by id. */
    @Test
    void parquetInAndOut() throws IOException {
        Files2 f = curves();
        List<org.apache.spark.sql.Row> rows = new ArrayList<>();
        for (int i = 0; i < f.x().rows(); i++) {
            float[] x = new float[f.x().cols()];
            System.arraycopy(f.x().data(), i * f.x().cols(), x, 0, x.length);
            rows.add(org.apache.spark.sql.RowFactory.create((long) i, x, f.labelValues()[i]));
        }
        Path in = dir.resolve("x.parquet");
        LocalSpark.session().createDataFrame(rows, SparkGraph.FEATURE_SCHEMA).write().parquet(in.toString());
        Path out = dir.resolve("pred.parquet");
        Outcome o = run("propagate", "--features", in.toString(), "--out", out.toString(), "--alpha", "0.9");
        assertEquals(0, o.status(), o.err());
        LabelSpreading.Options options = new LabelSpreading.Options(0.9f, 1e-5, 1000, Convergence.RELATIVE_CHANGE,
                true, true);
        int[] want = LabelSpreading.fit(SparkPropagationTest.REFERENCE,
                KnnGraph.build(SparkPropagationTest.REFERENCE, f.x(), KnnGraph.Options.defaults(), Progress.NONE)
                        .graph(), Labels.of(f.labelValues(), "y"), options, Progress.NONE).prediction().label();
        List<org.apache.spark.sql.Row> got = LocalSpark.session().read().parquet(out.toString()).orderBy("row")
                .collectAsList();
        assertEquals(want.length, got.size());
        for (int i = 0; i < want.length; i++) {
            assertEquals(i, got.get(i).getLong(0));
            assertEquals(want[i], got.get(i).getInt(1), "label of row " + i);
        }
    }

    @Test
    void badInputIsOneLineWithTheCliExitCodes() throws IOException {
        Files2 f = curves();
        Path out = dir.resolve("pred");
        Path shortLabels = write("short.csv", List.of("0", "1", "-1"));
        Outcome o = run("propagate", "--features", f.features().toString(), "--labels", shortLabels.toString(),
                "--out", out.toString());
        assertEquals(1, o.status());
        assertEquals("labelprop-spark: " + shortLabels + " has 3 labels but " + f.features() + " 240 rows; give one "
                + "label (or -1) per row", o.err().strip());
        assertFalse(Files.exists(out));

        Path badLabel = write("bad.csv", List.of("0", "x1"));
        o = run("propagate", "--edges", write("e.csv", List.of("0,1")).toString(), "--labels", badLabel.toString(),
                "--out", out.toString());
        assertEquals(1, o.status());
        assertTrue(o.err().contains(badLabel + ": label 'x1' should be an integer >= 0, or -1 for unlabeled"),
                o.err());

        o = run("propagate", "--features", f.features().toString(), "--labels", f.labels().toString(),
                "--out", out.toString(), "--alpha", "1.5");
        assertEquals(2, o.status());
        assertEquals("labelprop-spark: --alpha must be in (0, 1), got 1.5", o.err().strip());

        o = run("propagate", "--labels", f.labels().toString(), "--out", out.toString());
        assertEquals(2, o.status(), "no input");

        o = run("propagate", "--features", f.features().toString(), "--labels", dir.resolve("absent.csv").toString(),
                "--out", out.toString());
        assertEquals(1, o.status());
        assertEquals("labelprop-spark: --labels " + dir.resolve("absent.csv") + ": no such file or directory",
                o.err().strip());

        Files.createDirectory(out);
        o = run("propagate", "--features", f.features().toString(), "--labels", f.labels().toString(),
                "--out", out.toString());
        assertEquals(1, o.status());
        assertEquals("labelprop-spark: " + out + " exists; give a new path for --out", o.err().strip());
    }
}
