package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelprop.core.io.IoTestFiles.gzip;
import static org.labelprop.core.io.IoTestFiles.idx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;

class IdxFileTest {
    /** Two 2 x 3 "images" with raw byte values, including ones above 127 that a signed read would corrupt. */
    private static final double[] PIXELS = {0, 1, 2, 127, 128, 255, 10, 20, 30, 40, 50, 200};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"plain-idx3-ubyte", "zipped-idx3-ubyte.gz", "zipped-without-suffix-idx3-ubyte"})
    void flattensImagesToRowsOfRawValues(String name) throws IOException {
        byte[] plain = idx(0x08, new int[] {2, 2, 3}, PIXELS);
        Path file = IoTestFiles.write(dir, name, name.startsWith("plain") ? plain : gzip(plain));
        FloatMatrix m = IdxFile.readMatrix(file);
        assertEquals(2, m.rows());
        assertEquals(6, m.cols());
        assertArrayEquals(floats(PIXELS), m.data());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x09, 0x0B, 0x0C, 0x0D, 0x0E})
    void decodesEveryTypeBigEndian(int type) throws IOException {
        double[] values = {-3, 0, 7, 100, -128, 127};
        Path file = IoTestFiles.write(dir, "t-idx2", idx(type, new int[] {3, 2}, values));
        FloatMatrix m = IdxFile.readMatrix(file);
        assertEquals(3, m.rows());
        assertEquals(2, m.cols());
        assertArrayEquals(floats(values), m.data());
    }

    @Test
    void readsFractionalFloats() throws IOException {
        double[] values = {0.5, -1.25, 3.1};
        Path file = IoTestFiles.write(dir, "f-idx1", idx(0x0D, new int[] {3}, values));
        assertArrayEquals(floats(values), IdxFile.readMatrix(file).data());
    }

    @Test
    void readsOneDimensionalLabels() throws IOException {
        Path file = IoTestFiles.write(dir, "labels-idx1-ubyte.gz", gzip(idx(0x08, new int[] {4}, 9, 0, 3, 255)));
        try (NumericArray array = IdxFile.open(file)) {
            assertArrayEquals(new long[] {4}, array.shape());
            assertArrayEquals(new int[] {9, 0, 3, 255}, array.readInts());
        }
    }

    @Test
    void rejectsBadMagicAndType() throws IOException {
        byte[] bytes = idx(0x08, new int[] {1}, 5);
        bytes[0] = 1;
        Path magic = IoTestFiles.write(dir, "bad-idx1-ubyte", bytes);
        DataException e = assertThrows(DataException.class, () -> IdxFile.readMatrix(magic));
        assertTrue(e.getMessage().contains("bad-idx1-ubyte") && e.getMessage().contains("not an IDX file"),
                e.getMessage());

        bytes[0] = 0;
        bytes[2] = 0x0A;
        Path type = IoTestFiles.write(dir, "type-idx1-ubyte", bytes);
        DataException t = assertThrows(DataException.class, () -> IdxFile.readMatrix(type));
        assertTrue(t.getMessage().contains("0x0A"), t.getMessage());
    }

    @Test
    void rejectsShapesBeyondJavaArrays() throws IOException {
        Path file = IoTestFiles.write(dir, "huge-idx3-ubyte", idx(0x08, new int[] {-1, -1, 0}));
        DataException e = assertThrows(DataException.class, () -> IdxFile.readMatrix(file));
        assertTrue(e.getMessage().contains("huge-idx3-ubyte") && e.getMessage().contains("2^31"), e.getMessage());
    }

    @Test
    void reportsTruncatedGzip() throws IOException {
        byte[] plain = idx(0x08, new int[] {2, 2, 3}, PIXELS);
        Path file = IoTestFiles.write(dir, "cut-idx3-ubyte.gz", gzip(Arrays.copyOf(plain, plain.length - 1)));
        DataException e = assertThrows(DataException.class, () -> IdxFile.readMatrix(file));
        assertTrue(e.getMessage().contains("cut-idx3-ubyte.gz") && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    private static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
