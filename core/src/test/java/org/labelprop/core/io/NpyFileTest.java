package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelprop.core.io.IoTestFiles.resource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;

class NpyFileTest {
    @TempDir
    Path dir;

    /** One line of expected.txt: a fixture written by numpy, its shape and its values in C order. */
    record Fixture(String name, long[] shape, double[] values) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Fixture> fixtures() throws IOException {
        List<String> lines = Files.readAllLines(resource("expected.txt"));
        return lines.stream().filter(l -> !l.startsWith("fortran")).map(line -> {
            String[] parts = line.split(" ");
            long[] shape = Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
            double[] values = Arrays.stream(parts, 2, parts.length).mapToDouble(NpyFileTest::parsePython).toArray();
            return new Fixture(parts[0], shape, values);
        });
    }

    /** Python's repr of a float, which spells NaN "nan". */
    private static double parsePython(String repr) {
        return repr.equals("nan") ? Double.NaN : Double.parseDouble(repr);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void readsEveryDtypeAndVersionWrittenByNumpy(Fixture fixture) throws IOException {
        FloatMatrix m = NpyFile.readMatrix(resource(fixture.name()));
        assertEquals(fixture.shape()[0], m.rows());
        assertEquals(fixture.shape().length == 2 ? fixture.shape()[1] : 1, m.cols());
        float[] expected = new float[fixture.values().length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) fixture.values()[i];
        }
        assertArrayEquals(expected, m.data());
        try (NumericArray array = NpyFile.open(resource(fixture.name()))) {
            assertArrayEquals(fixture.shape(), array.shape());
        }
    }

    @Test
    void readsIntegerArraysExactly() throws IOException {
        assertArrayEquals(new int[] {3, -1, 0, 7}, NpyFile.readInts(resource("labels_i8.npy")));
    }

    @Test
    void readIntsRejectsMatricesAndFractions() {
        DataException matrix = assertThrows(DataException.class, () -> NpyFile.readInts(resource("i4_v1.npy")));
        assertTrue(matrix.getMessage().contains("i4_v1.npy"), matrix.getMessage());
        DataException fraction = assertThrows(DataException.class, () -> NpyFile.readInts(resource("f4_1d_v1.npy")));
        assertTrue(fraction.getMessage().contains("row 1"), fraction.getMessage());
    }

    @Test
    void rejectsFortranOrderNamingTheFile() {
        DataException e = assertThrows(DataException.class, () -> NpyFile.readMatrix(resource("fortran_f4.npy")));
        assertTrue(e.getMessage().contains("fortran_f4.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("Fortran order"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6, 31, 207, 4098, 70_001})
    void matrixRoundTripsAndAlignsDataTo64Bytes(int rows) throws IOException {
        FloatMatrix m = FloatMatrix.zeros(rows, 3);
        Random random = new Random(rows);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = (float) random.nextGaussian();
        }
        Path file = dir.resolve("m.npy");
        NpyFile.writeMatrix(file, m);

        FloatMatrix back = NpyFile.readMatrix(file);
        assertEquals(rows, back.rows());
        assertEquals(3, back.cols());
        assertArrayEquals(m.data(), back.data());
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        assertEquals(0, (10 + headerLength) % 64);
        assertEquals(10 + headerLength + 12L * rows, bytes.length);
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", 3), }"),
                header);
        assertTrue(header.endsWith("\n"));
    }

    @Test
    void intsRoundTrip() throws IOException {
        int[] values = new Random(7).ints(40_000).toArray();
        Path file = dir.resolve("ints.npy");
        NpyFile.writeInts(file, values);
        assertArrayEquals(values, NpyFile.readInts(file));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(0, (bytes.length - 4 * values.length) % 64);
        String header = new String(bytes, 10, 64, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<i4', 'fortran_order': False, 'shape': (40000,), }"), header);
    }

    @Test
    void acceptsNativeOrderMarkers() throws IOException {
        ByteOrder nativeOrder = ByteOrder.nativeOrder();
        ByteBuffer data = ByteBuffer.allocate(8).order(nativeOrder).putFloat(1.25f).putFloat(-4f);
        Path file = IoTestFiles.write(dir, "native.npy",
                npy("{'descr': '=f4', 'fortran_order': False, 'shape': (2,), }", data.array()));
        assertArrayEquals(new float[] {1.25f, -4f}, NpyFile.readMatrix(file).data());
        Path bytes = IoTestFiles.write(dir, "bytes.npy",
                npy("{'descr': '<u1', 'fortran_order': False, 'shape': (1, 2), }", new byte[] {(byte) 250, 3}));
        assertArrayEquals(new float[] {250f, 3f}, NpyFile.readMatrix(bytes).data());
    }

    @Test
    void rejectsUnsupportedDtypeListingTheSupportedOnes() throws IOException {
        Path file = IoTestFiles.write(dir, "complex.npy",
                npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
        DataException e = assertThrows(DataException.class, () -> NpyFile.readMatrix(file));
        assertTrue(e.getMessage().contains("complex.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("'<c8'") && e.getMessage().contains("'<f4'"), e.getMessage());
    }

    @Test
    void reportsTruncatedFilesPlainAndGzipped() throws IOException {
        byte[] whole = Files.readAllBytes(resource("f8_v1.npy"));
        byte[] cut = Arrays.copyOf(whole, whole.length - 5);
        Path plain = IoTestFiles.write(dir, "cut.npy", cut);
        DataException e = assertThrows(DataException.class, () -> NpyFile.readMatrix(plain));
        assertTrue(e.getMessage().contains("cut.npy") && e.getMessage().contains("truncated"), e.getMessage());

        Path gz = IoTestFiles.write(dir, "cut.npy.gz", IoTestFiles.gzip(cut));
        DataException g = assertThrows(DataException.class, () -> NpyFile.readMatrix(gz));
        assertTrue(g.getMessage().contains("cut.npy.gz") && g.getMessage().contains("truncated"), g.getMessage());
    }

    @Test
    void readsGzippedNpy() throws IOException {
        Path gz = IoTestFiles.write(dir, "f4.npy.gz", IoTestFiles.gzip(Files.readAllBytes(resource("f4_v2.npy"))));
        assertArrayEquals(NpyFile.readMatrix(resource("f4_v2.npy")).data(), NpyFile.readMatrix(gz).data());
    }

    @Test
    void rejectsFilesWithoutMagic() throws IOException {
        Path file = IoTestFiles.write(dir, "fake.npy", "1,2,3\n4,5,6\n");
        DataException e = assertThrows(DataException.class, () -> NpyFile.readMatrix(file));
        assertTrue(e.getMessage().contains("fake.npy") && e.getMessage().contains("not a .npy file"), e.getMessage());
    }

    /** A version 1.0 .npy file with the given header dict, unpadded, for headers numpy itself would not write. */
    private static byte[] npy(String dict, byte[] data) {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length).put(header).put(data);
        return b.array();
    }
}
