package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Test;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.graph.GraphFile;
import org.labelprop.core.model.InductiveModel;
import org.labelprop.core.model.ModelFile;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.testing.TestData;

/**
 * Property-based fuzzing of every reader that takes a user's bytes: valid files, mutated (bytes flipped,
 * sizes set to extremes, cut, extended, gzipped, checksums recomputed so the checks behind them run too) and
 * random. The only outcome besides a result is a {@link DataException} with one bounded line. The number of
 * tries per reader is jqwik's default, set in junit-platform.properties for the normal build; {@code .ci/fuzz}
 * runs many more. An input that ever failed is kept under test resources {@code fuzz/}
 * and replayed by {@link #regressionInputs}.
 */
class ReaderFuzzTest {
    private static final int[] EXTREMES = {0, 1, -1, 2, 255, 65535, 1 << 20, 1 << 30, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 0x7fff_fff0, 300_000_000};
    private static final byte[] TEXT_BYTES = ",,\t\n\r #.-+e0123456789fdxXpPnaiNI\0\u001b\"'".getBytes(
            StandardCharsets.ISO_8859_1);

    private static Path dir;

    /** A reader under test: returns normally or throws DataException. */
    interface Target {
        void read(Path file) throws IOException;
    }

    @BeforeContainer
    static void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("labelprop-fuzz");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @Property
    void featureText(@ForAll long seed) throws IOException {
        fuzz(seed, "x.csv", FeatureReader::read, false, List.of(
                "a,b\n1,2\n3,4.5\n".getBytes(StandardCharsets.UTF_8),
                "1\t2\t3\n-1e3\t0.5\tnan\n".getBytes(StandardCharsets.UTF_8),
                "# c\n1 2\n3 4\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void labelText(@ForAll long seed) throws IOException {
        fuzz(seed, "y.csv", LabelReader::read, false, List.of("label\n0\n\n-1\n2\n".getBytes(StandardCharsets.UTF_8),
                "1.0\n3\nnan\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void labelNames(@ForAll long seed) throws IOException {
        ClassNames names = ClassNames.fit(List.of("ankle boot", "cat", "dog"));
        fuzz(seed, "y.csv", file -> {
            LabelReader.readNamed(file);
            LabelReader.read(file, names);
            ClassPriorReader.read(file, names);
        }, false, List.of("label\ncat\n\n-1\nankle boot\ndog\n".getBytes(StandardCharsets.UTF_8),
                "\"cat\"\ndog\ncat\nNaN\n2\n".getBytes(StandardCharsets.UTF_8),
                "cat,0.5\ndog,0.25\nankle boot,0.25\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void edgeText(@ForAll long seed) throws IOException {
        fuzz(seed, "e.csv", EdgeListReader::read, false, List.of(
                "src,dst,w\n0,1,0.5\n1,2,1\n".getBytes(StandardCharsets.UTF_8),
                "0 1\n2 3\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void npy(@ForAll long seed) throws IOException {
        fuzz(seed, "x.npy", FeatureReader::read, false, List.of(npyMatrix(), npyInts()));
    }

    @Property
    void npyLabelsAndEdges(@ForAll long seed) throws IOException {
        fuzz(seed, "x.npy", file -> {
            LabelReader.read(file);
            EdgeListReader.read(file);
        }, false, List.of(npyInts(), npyEdges()));
    }

    @Property
    void idx(@ForAll long seed) throws IOException {
        fuzz(seed, "x-idx3-ubyte", file -> {
            FeatureReader.read(file);
            LabelReader.read(file);
        }, false, List.of(IoTestFiles.idx(0x08, new int[] {2, 2, 2}, 0, 1, 2, 3, 4, 5, 6, 7),
                IoTestFiles.idx(0x0D, new int[] {3}, 1.5, 2, -1), IoTestFiles.idx(0x0C, new int[] {2}, 0, 7)));
    }

    @Property
    void graphFile(@ForAll long seed) throws IOException {
        fuzz(seed, "g.lpg", GraphFile::read, true, List.of(graph()));
    }

    @Property
    void modelFile(@ForAll long seed) throws IOException {
        fuzz(seed, "m.lpm", ModelFile::read, true, List.of(knnModel(), inductiveModel(), namedModel()));
    }

    /** Every input kept under test resources fuzz/, read by every reader. */
    @Test
    void regressionInputs() throws IOException, URISyntaxException {
        Path root = Path.of(ReaderFuzzTest.class.getResource("/fuzz").toURI());
        List<Target> readers = List.of(FeatureReader::read, LabelReader::read, LabelReader::readNamed,
                EdgeListReader::read, GraphFile::read, ModelFile::read);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                for (Target reader : readers) {
                    check(file, reader);
                }
            }
        }
    }

    private static void fuzz(long seed, String name, Target reader, boolean checksummed, List<byte[]> seeds)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = input(random, seeds, checksummed);
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        check(file, reader);
    }

    private static void check(Path file, Target reader) throws IOException {
        try {
            reader.read(file);
        } catch (DataException e) {
            String m = e.getMessage();
            assertFalse(m.contains("\n") || m.contains("\r") || m.contains("\u001b"), m);
            assertTrue(m.length() < 1000, () -> m.length() + " characters: " + m.substring(0, 200));
        }
    }

    /** A valid seed, mutated; or random bytes; gzipped now and then. */
    static byte[] input(SplittableRandom random, List<byte[]> seeds, boolean checksummed) {
        byte[] bytes;
        if (random.nextInt(10) == 0) {
            bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
        } else {
            bytes = seeds.get(random.nextInt(seeds.size())).clone();
            for (int m = random.nextInt(5); m > 0; m--) {
                bytes = mutate(random, bytes);
            }
            if (checksummed && bytes.length >= 8 && random.nextInt(4) != 0) {
                bytes = withCrc(bytes, random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            }
        }
        return random.nextInt(6) == 0 ? IoTestFiles.gzip(bytes) : bytes;
    }

    private static byte[] mutate(SplittableRandom random, byte[] bytes) {
        int n = bytes.length;
        switch (random.nextInt(6)) {
            case 0 -> {
                if (n > 0) {
                    bytes[random.nextInt(n)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> {
                if (n >= 8) {
                    ByteBuffer b = ByteBuffer.wrap(bytes).order(random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN
                            : ByteOrder.BIG_ENDIAN);
                    int at = random.nextInt(n - 7);
                    if (random.nextBoolean()) {
                        b.putInt(at, EXTREMES[random.nextInt(EXTREMES.length)]);
                    } else {
                        b.putLong(at, random.nextBoolean() ? 1L << 40 : Long.MAX_VALUE);
                    }
                }
            }
            case 2 -> {
                if (n > 0) {
                    bytes[random.nextInt(n)] = TEXT_BYTES[random.nextInt(TEXT_BYTES.length)];
                }
            }
            case 3 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(n + 1));
            case 4 -> {
                int at = random.nextInt(n + 1);
                byte[] extra = new byte[1 + random.nextInt(16)];
                for (int i = 0; i < extra.length; i++) {
                    extra[i] = TEXT_BYTES[random.nextInt(TEXT_BYTES.length)];
                }
                byte[] out = new byte[n + extra.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(bytes, at, out, at + extra.length, n - at);
                bytes = out;
            }
            default -> {
                if (n > 1) {
                    int from = random.nextInt(n);
                    int len = 1 + random.nextInt(n - from);
                    byte[] out = java.util.Arrays.copyOf(bytes, n + len);
                    System.arraycopy(bytes, from, out, n, len);
                    bytes = out;
                }
            }
        }
        return bytes;
    }

    /** Recomputes the trailing CRC32 (int64) so that mutations reach the checks behind the checksum. */
    private static byte[] withCrc(byte[] bytes, ByteOrder order) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        ByteBuffer.wrap(bytes).order(order).putLong(bytes.length - 8, crc.getValue());
        return bytes;
    }

    private static byte[] written(AtomicOutput.IOConsumer<java.io.OutputStream> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            body.accept(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] npyMatrix() {
        return written(out -> NpyFile.writeMatrix(out, new FloatMatrix(3, 2, new float[] {1, 2, 3, 4.5f, -1, 0})));
    }

    private static byte[] npyInts() {
        return HostileInputTest.npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }",
                ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(-1).putInt(2).array());
    }

    private static byte[] npyEdges() {
        return HostileInputTest.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN).putDouble(0).putDouble(1).putDouble(0.5)
                        .putDouble(1).putDouble(2).putDouble(1).array());
    }

    private static byte[] graph() {
        return written(out -> GraphFile.write(out, TestData.randomGraph(6, 2, 3)));
    }

    /** A saved propagation: 2 classes, 2 features, 2 training rows. */
    private static byte[] inductiveModel() {
        return written(out -> ModelFile.write(out, new InductiveModel(new FloatMatrix(2, 2, new float[] {0, 0, 1, 1}),
                Prediction.of(new int[] {0, 1}, new float[] {0.9f, 0.1f, 0.2f, 0.8f}),
                KnnGraph.Options.defaults().withK(1))));
    }

    private static byte[] namedModel() {
        return written(out -> ModelFile.write(out, new InductiveModel(new FloatMatrix(2, 2, new float[] {0, 0, 1, 1}),
                Prediction.of(new int[] {0, 1}, new float[] {0.9f, 0.1f, 0.2f, 0.8f}),
                KnnGraph.Options.defaults().withK(1)), ClassNames.fit(List.of("cat", "dog"))));
    }

    /** A kNN model file written from the format description: 2 classes, 2 features, 2 training rows. */
    private static byte[] knnModel() {
        ByteBuffer b = ByteBuffer.allocate(24 + 8 + 16 + 16 + 8 + 8 + 8);
        b.put("LPMODEL\0".getBytes(StandardCharsets.ISO_8859_1)).putInt(1).putInt(2).putInt(2).putInt(2);
        b.putInt(0).putInt(3).putInt(1).putInt(0).putInt(1).putInt(2);
        b.putFloat(0).putFloat(0).putFloat(1).putFloat(1).putInt(0).putInt(1).putFloat(1).putFloat(1);
        return withCrc(b.array(), ByteOrder.BIG_ENDIAN);
    }
}
