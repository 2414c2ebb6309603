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

class LabelReaderTest {
    @TempDir
    Path dir;

    @Test
    void textMarksMinusOneEmptyAndNanAsUnlabeled() throws IOException {
        Path file = IoTestFiles.write(dir, "y.csv", "label\n3\n-1\n\n2.0\n  nan \n0\n7");
        assertArrayEquals(new int[] {3, -1, -1, 2, -1, 0, 7}, LabelReader.read(file));
    }

    @Test
    void textWithoutHeader() throws IOException {
        Path file = IoTestFiles.write(dir, "y.txt", "1\n1\n-1\n4\n");
        assertArrayEquals(new int[] {1, 1, -1, 4}, LabelReader.read(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-2", "1.5", "abc", "inf", "3e10"})
    void badLabelNamesFileAndRow(String bad) throws IOException {
        Path file = IoTestFiles.write(dir, "bad.csv", "y\n0\n1\n" + bad + "\n2\n");
        DataException e = assertThrows(DataException.class, () -> LabelReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": row 4"), e.getMessage());
    }

    @Test
    void severalColumnsAreRejected() throws IOException {
        Path file = IoTestFiles.write(dir, "two.csv", "id,label\n0,1\n1,2\n");
        DataException e = assertThrows(DataException.class, () -> LabelReader.read(file));
        assertEquals(file + ": row 2: 2 columns; expected one label per row", e.getMessage());
    }

    @Test
    void npyFloatNanAndIntegerDtypes() throws IOException {
        assertArrayEquals(new int[] {0, -1, 2, -1, 9}, LabelReader.read(IoTestFiles.resource("labels_f8.npy")));
        assertArrayEquals(new int[] {3, -1, 0, 7}, LabelReader.read(IoTestFiles.resource("labels_i8.npy")));
    }

    @Test
    void npyColumnVectorIsAccepted() throws IOException {
        Path file = dir.resolve("col.npy");
        NpyFile.writeMatrix(file, new FloatMatrix(3, 1, new float[] {2, -1, 5}));
        assertArrayEquals(new int[] {2, -1, 5}, LabelReader.read(file));
    }

    @Test
    void npyBadValueNamesRow() throws IOException {
        Path file = dir.resolve("neg.npy");
        NpyFile.writeMatrix(file, new FloatMatrix(3, 1, new float[] {2, -1, -5}));
        DataException e = assertThrows(DataException.class, () -> LabelReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": row 3: label -5.0"), e.getMessage());
    }

    @Test
    void npyMatrixIsRejected() {
        Path file = IoTestFiles.resource("f4_v1.npy");
        DataException e = assertThrows(DataException.class, () -> LabelReader.read(file));
        assertTrue(e.getMessage().contains("one label per row"), e.getMessage());
    }

    @Test
    void idxLabels() throws IOException {
        Path file = IoTestFiles.write(dir, "train-labels-idx1-ubyte.gz",
                IoTestFiles.gzip(IoTestFiles.idx(0x08, new int[] {5}, 9, 0, 0, 3, 255)));
        assertArrayEquals(new int[] {9, 0, 0, 3, 255}, LabelReader.read(file));
    }
}
