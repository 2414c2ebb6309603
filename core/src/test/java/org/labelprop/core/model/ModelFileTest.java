package org.labelprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.Inductive;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.Metric;
import org.labelprop.core.testing.TestData;

class ModelFileTest {
    @TempDir
    Path dir;

    private final FloatMatrix x = Fixtures.blobs(3, 20, 5, 1.5f, 4);
    private final TrainingSet data = TrainingSet.of(x, Labels.of(withGaps(TestData.fewLabels(60, 3, 5)), "labels"));

    private static int[] withGaps(int[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] < 0 ? -1 : y[i] * 3 + 1;
        }
        return y;
    }

    @Test
    void logisticAndKnnModelsPredictTheSameAfterLoading() throws IOException {
        Model[] models = {new LogisticRegression(LogisticRegression.Options.defaults()).fit(Fixtures.BACKEND, data),
                new KnnClassifier(new KnnClassifier.Options(4, Metric.COSINE, KnnClassifier.Vote.UNIFORM))
                        .fit(Fixtures.BACKEND, data)};
        for (Model m : models) {
            Path f = dir.resolve("m.lpm");
            ModelFile.write(f, m);
            Model back = ModelFile.read(f);
            assertEquals(m.getClass(), back.getClass());
            assertArrayEquals(new int[] {1, 4, 7}, back.classes());
            assertArrayEquals(m.probabilities(Fixtures.BACKEND, x), back.probabilities(Fixtures.BACKEND, x), 0f);
        }
    }

    @Test
    void classNamesTravelWithTheModelAndNumbersKeepVersionOne() throws IOException {
        int[] ids = TestData.fewLabels(60, 3, 5);
        ClassNames names = ClassNames.fit(java.util.List.of("ankle boot", "cat", "dog"));
        TrainingSet named = TrainingSet.of(x, Labels.of(ids, "labels").withNames(names));
        Model m = new KnnClassifier(new KnnClassifier.Options(4, Metric.EUCLIDEAN, KnnClassifier.Vote.DISTANCE))
                .fit(Fixtures.BACKEND, named);
        Path f = dir.resolve("named.lpm");
        ModelFile.write(f, m, names);
        assertEquals(ModelFile.NAMED_VERSION, ByteBuffer.wrap(Files.readAllBytes(f)).getInt(8));
        ModelFile.Saved back = ModelFile.readNamed(f);
        assertEquals(names, back.names());
        assertArrayEquals(m.probabilities(Fixtures.BACKEND, x), back.model().probabilities(Fixtures.BACKEND, x), 0f);
        assertArrayEquals(m.classes(), ModelFile.read(f).classes());

        Path plain = dir.resolve("plain.lpm");
        ModelFile.write(plain, m);
        assertEquals(ModelFile.VERSION, ByteBuffer.wrap(Files.readAllBytes(plain)).getInt(8));
        assertEquals(ClassNames.NUMBERS, ModelFile.readNamed(plain).names());

        byte[] bad = Files.readAllBytes(f);
        // The first name's first byte, after the header, three class labels and the name count and length.
        int at = 8 + 16 + 12 + 4 + 4;
        bad[at] = ',';
        Path corrupt = Files.write(dir.resolve("bad.lpm"), bad);
        DataException e = assertThrows(DataException.class, () -> ModelFile.read(corrupt));
        assertTrue(e.getMessage().contains("class names") && e.getMessage().endsWith("corrupt"), e.getMessage());
    }

    @Test
    void aSavedPropagationVotesForNewRowsAsInductiveDoes() throws IOException {
        KnnGraph.Options options = KnnGraph.Options.defaults().withK(6).withMetric(Metric.COSINE)
                .withWeights(Weighting.GAUSSIAN, 0.7f, Symmetrization.AVERAGE);
        PropagationResult r = LabelSpreading.fit(Fixtures.BACKEND, KnnGraph.build(Fixtures.BACKEND, x, options,
                Progress.NONE).graph(), Labels.of(withGaps(TestData.fewLabels(60, 3, 5)), "labels"),
                LabelSpreading.Options.defaults(), Progress.NONE);
        Path f = dir.resolve("p.lpm");
        ModelFile.write(f, new InductiveModel(x, r.prediction(), options));
        Model back = ModelFile.read(f);
        assertEquals(InductiveModel.class, back.getClass());
        assertArrayEquals(new int[] {1, 4, 7}, back.classes());
        FloatMatrix fresh = Fixtures.blobs(3, 7, 5, 1.5f, 9);
        assertArrayEquals(Inductive.predict(Fixtures.BACKEND, x, r, fresh, options, Progress.NONE).distribution(),
                back.probabilities(Fixtures.BACKEND, fresh), 0f);
    }

    @Test
    void aSpreadingModelIsSavedAsItsInductiveModel() throws IOException {
        Model m = SpreadingClassifier.build(Fixtures.BACKEND, x, KnnGraph.Options.defaults(),
                SpreadingClassifier.Options.defaults(), new LogisticRegression(LogisticRegression.Options.defaults()))
                .fit(Fixtures.BACKEND, data);
        Path f = dir.resolve("s.lpm");
        ModelFile.write(f, m);
        FloatMatrix fresh = Fixtures.blobs(3, 5, 5, 1.5f, 4);
        assertArrayEquals(m.probabilities(Fixtures.BACKEND, fresh),
                ModelFile.read(f).probabilities(Fixtures.BACKEND, fresh), 0f);
    }

    @Test
    void aSpreadingFitsModelForNewRowsIsWrittenWithoutABackend() throws IOException {
        Fit fit = SpreadingClassifier.build(Fixtures.BACKEND, x, KnnGraph.Options.defaults(),
                SpreadingClassifier.Options.defaults(), new LogisticRegression(LogisticRegression.Options.defaults()))
                .fitAndPredict(Fixtures.BACKEND, data);
        // The inductive part is fitted here, explicitly; writing it takes no backend and fits nothing.
        Model keep = fit.modelForNewRows(Fixtures.BACKEND);
        Path first = dir.resolve("a.lpm");
        Path second = dir.resolve("b.lpm");
        ModelFile.write(first, keep);
        ModelFile.write(second, keep);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        Model back = ModelFile.read(first);
        assertEquals(LogisticModel.class, back.getClass());
        assertArrayEquals(keep.probabilities(Fixtures.BACKEND, x), back.probabilities(Fixtures.BACKEND, x), 0f);

        Model own = new Model() {
            @Override
            public int[] classes() {
                return new int[] {1, 4, 7};
            }

            @Override
            public int features() {
                return 5;
            }

            @Override
            public float[] probabilities(Backend backend, FloatMatrix rows) {
                return new float[rows.rows() * 3];
            }
        };
        DataException e = assertThrows(DataException.class, () -> ModelFile.write(dir.resolve("own.lpm"), own));
        assertTrue(e.getMessage().contains("cannot be saved"), e.getMessage());
    }

    @Test
    void foreignCorruptTruncatedAndNewerFilesAreRefused() throws IOException {
        Path f = dir.resolve("m.lpm");
        ModelFile.write(f, new LogisticRegression(LogisticRegression.Options.defaults()).fit(Fixtures.BACKEND, data));
        byte[] good = Files.readAllBytes(f);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        assertRefused(flipped, "checksum mismatch");

        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).putInt(8, 3);
        assertRefused(newer, "format version 3; this labelprop reads versions 1 and 2");

        assertRefused(java.util.Arrays.copyOf(good, good.length - 3), "truncated");
        assertRefused("row,label\n0,1\n".getBytes(), "not a labelprop model file");
        assertRefused(java.util.Arrays.copyOf(good, 10), "truncated");
    }

    private void assertRefused(byte[] bytes, String message) throws IOException {
        Path bad = dir.resolve("bad.lpm");
        Files.write(bad, bytes);
        DataException e = assertThrows(DataException.class, () -> ModelFile.read(bad));
        assertTrue(e.getMessage().contains(message) && e.getMessage().startsWith(bad.toString()), e.getMessage());
    }

    private static byte[] withCrc(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        ByteBuffer.wrap(bytes).putLong(bytes.length - 8, crc.getValue());
        return bytes;
    }

    @Test
    void implausibleContentIsRefusedDespiteAValidChecksum() throws IOException {
        Path f = dir.resolve("m.lpm");
        ModelFile.write(f, new LogisticRegression(LogisticRegression.Options.defaults()).fit(Fixtures.BACKEND, data));
        byte[] good = Files.readAllBytes(f);
        int classes = ByteBuffer.wrap(good).getInt(16);
        int coefficients = 24 + 4 * classes + 8;

        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).putDouble(coefficients, Double.NaN);
        assertRefused(withCrc(nan), "coefficient");

        byte[] infiniteIntercept = good.clone();
        ByteBuffer.wrap(infiniteIntercept).putDouble(good.length - 16, Double.POSITIVE_INFINITY);
        assertRefused(withCrc(infiniteIntercept), "intercept");

        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putInt(24, -3);
        assertRefused(withCrc(negative), "class");

        byte[] unsorted = good.clone();
        ByteBuffer.wrap(unsorted).putInt(24, ByteBuffer.wrap(good).getInt(28));
        assertRefused(withCrc(unsorted), "class");

        // A kNN model over zero training rows: header, classes {0, 1}, k 1, metric 0, vote 0, rows 0, CRC.
        ByteBuffer empty = ByteBuffer.allocate(24 + 8 + 16 + 8);
        empty.put(ModelFile.MAGIC).putInt(ModelFile.VERSION).putInt(2).putInt(2).putInt(3).putInt(0).putInt(1);
        empty.putInt(1).putInt(0).putInt(0).putInt(0);
        assertRefused(withCrc(empty.array()), "rows");
    }
}
