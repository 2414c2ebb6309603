package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;

class FeatureReaderTest {
    private static final float[] EXPECTED = {1f, -2.5f, 3e-3f, 40f, 0.125f, -6f};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "1,-2.5,3e-3\n40,0.125,-6\n",
        "a,b,c\n1,-2.5,3e-3\n40,0.125,-6\n",
        "\"x 1\",\"x 2\",\"x 3\"\r\n1 , -2.5 ,3E-3\r\n40,.125,-6.0\r\n\r\n",
        "1 -2.5   3e-3\n\t40\t0.125 -6\n",
        "# written by numpy.savetxt\n  1  -2.5  0.003  \n40 0.125 -6\n",
        "f1\tf2\tf3\n1\t-2.5\t3e-3\n40\t0.125\t-6\n",
        "\uFEFFa,b,c\n+1,-2.5,3e-3\n40,0.125,-6\n",
    })
    void readsTextWithOrWithoutHeader(String content) throws IOException {
        FloatMatrix m = FeatureReader.read(IoTestFiles.write(dir, "x.csv", content));
        assertEquals(2, m.rows());
        assertEquals(3, m.cols());
        assertArrayEquals(EXPECTED, m.data());
    }

    @Test
    void readsGzippedTextTsvAndTxt() throws IOException {
        byte[] csv = "1,-2.5,3e-3\n40,0.125,-6\n".getBytes();
        Path gz = IoTestFiles.write(dir, "x.csv.gz", IoTestFiles.gzip(csv));
        Path tsv = IoTestFiles.write(dir, "x.tsv", "1\t-2.5\t3e-3\n40\t0.125\t-6");
        Path txt = IoTestFiles.write(dir, "x.TXT", "1 -2.5 3e-3\n40 0.125 -6");
        for (Path file : new Path[] {gz, tsv, txt}) {
            assertArrayEquals(EXPECTED, FeatureReader.read(file).data(), file.toString());
        }
    }

    @Test
    void readsNpyAndIdx() throws IOException {
        assertArrayEquals(new float[] {1.5f, -2.25f, 0f, 100f, 3.1f, -7f},
                FeatureReader.read(IoTestFiles.resource("f8_v1.npy")).data());
        Path idx = IoTestFiles.write(dir, "images-idx3-ubyte",
                IoTestFiles.idx(0x08, new int[] {2, 1, 2}, 0, 255, 7, 8));
        FloatMatrix m = FeatureReader.read(idx);
        assertEquals(2, m.cols());
        assertArrayEquals(new float[] {0, 255, 7, 8}, m.data());
    }

    @Test
    void raggedRowNamesFileRowAndExpectedCount() throws IOException {
        Path file = IoTestFiles.write(dir, "ragged.csv", "a,b,c\n1,2,3\n4,5,6\n7,8\n");
        DataException e = assertThrows(DataException.class, () -> FeatureReader.read(file));
        assertEquals(file + ": row 4: 2 columns, expected 3 like the first data row", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "inf", "-Infinity", "1e39"})
    void nonFiniteValueNamesRowAndColumn(String bad) throws IOException {
        Path file = IoTestFiles.write(dir, "nan.csv", "1 2 3\n4 5 " + bad + "\n7 nan 9\n");
        DataException e = assertThrows(DataException.class, () -> FeatureReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": row 2, column 3: "), e.getMessage());
    }

    @Test
    void nonFiniteValueInNpyNamesRowAndColumn() throws IOException {
        FloatMatrix m = FloatMatrix.zeros(3, 4);
        m.set(1, 2, Float.NaN);
        m.set(2, 0, Float.POSITIVE_INFINITY);
        Path file = dir.resolve("nan.npy");
        NpyFile.writeMatrix(file, m);
        DataException e = assertThrows(DataException.class, () -> FeatureReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": row 2, column 3: NaN"), e.getMessage());
    }

    @Test
    void junkValueNamesRowAndColumn() throws IOException {
        Path file = IoTestFiles.write(dir, "junk.csv", "1,2\n3,x4\n");
        DataException e = assertThrows(DataException.class, () -> FeatureReader.read(file));
        assertEquals(file + ": row 2, column 2: 'x4' is not a number", e.getMessage());
    }

    @Test
    void emptyFieldIsAnError() throws IOException {
        Path file = IoTestFiles.write(dir, "gap.csv", "1,2,3\n4,,6\n");
        DataException e = assertThrows(DataException.class, () -> FeatureReader.read(file));
        assertEquals(file + ": row 2, column 2: empty value", e.getMessage());
    }

    @Test
    void emptyAndHeaderOnlyFilesAreClearErrors() throws IOException {
        Path empty = IoTestFiles.write(dir, "empty.csv", "");
        assertTrue(assertThrows(DataException.class, () -> FeatureReader.read(empty)).getMessage()
                .contains("file is empty"));
        Path blank = IoTestFiles.write(dir, "blank.csv", "\n  \n");
        assertTrue(assertThrows(DataException.class, () -> FeatureReader.read(blank)).getMessage()
                .contains("file is empty"));
        Path header = IoTestFiles.write(dir, "header.csv", "a,b\n");
        assertTrue(assertThrows(DataException.class, () -> FeatureReader.read(header)).getMessage()
                .contains("only a header"));
    }

    @Test
    void unknownExtensionListsAcceptedFormats() throws IOException {
        Path file = IoTestFiles.write(dir, "x.parquet", "");
        DataException e = assertThrows(DataException.class, () -> FeatureReader.read(file));
        assertTrue(e.getMessage().contains("x.parquet"), e.getMessage());
        assertTrue(e.getMessage().contains(".csv") && e.getMessage().contains(".npy")
                && e.getMessage().contains("IDX"), e.getMessage());
    }

    @Test
    void missingFileIsADataException() {
        Path file = dir.resolve("absent.csv");
        DataException e = assertThrows(DataException.class, () -> FeatureReader.read(file));
        assertEquals(file + ": file not found", e.getMessage());
    }
}
