package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class EdgeListReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "0,1\n1,2\n5,0\n",
        "src,dst\n0,1\n1,2\n5,0\n",
        "# a comment\n0 1\n\n1   2\n  # another\n5\t0\n",
        "0\t1\n1\t2\n5.0\t0\n",
    })
    void readsUnweightedText(String content) throws IOException {
        EdgeList edges = EdgeListReader.read(IoTestFiles.write(dir, "g.csv", content));
        assertArrayEquals(new int[] {0, 1, 5}, edges.src());
        assertArrayEquals(new int[] {1, 2, 0}, edges.dst());
        assertNull(edges.weight());
        assertEquals(3, edges.size());
    }

    @Test
    void readsWeightedText() throws IOException {
        EdgeList edges = EdgeListReader.read(IoTestFiles.write(dir, "g.tsv", "src\tdst\tw\n0\t1\t0.5\n2\t0\t0\n"));
        assertArrayEquals(new int[] {0, 2}, edges.src());
        assertArrayEquals(new int[] {1, 0}, edges.dst());
        assertArrayEquals(new float[] {0.5f, 0f}, edges.weight());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1,2", "1.5,2", "1,x", "1,2,-0.5", "1,2,nan", "1,2,inf", "1,2,3,4", "3000000000,1"})
    void badEdgeNamesFileAndRow(String bad) throws IOException {
        String weight = bad.split(",").length == 3 ? ",1" : "";
        Path file = IoTestFiles.write(dir, "bad.csv", "0,1" + weight + "\n# c\n" + bad + "\n");
        DataException e = assertThrows(DataException.class, () -> EdgeListReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": row 3"), e.getMessage());
    }

    @Test
    void wrongColumnCountInFirstRow() throws IOException {
        Path file = IoTestFiles.write(dir, "one.csv", "7\n8\n");
        DataException e = assertThrows(DataException.class, () -> EdgeListReader.read(file));
        assertEquals(file + ": row 1: 1 columns; expected src,dst or src,dst,weight", e.getMessage());
    }

    @Test
    void readsNpyEdgesWrittenByNumpy() throws IOException {
        EdgeList weighted = EdgeListReader.read(IoTestFiles.resource("edges_f8.npy"));
        assertArrayEquals(new int[] {0, 1, 2}, weighted.src());
        assertArrayEquals(new int[] {1, 2, 0}, weighted.dst());
        assertArrayEquals(new float[] {0.5f, 1f, 2f}, weighted.weight());

        EdgeList plain = EdgeListReader.read(IoTestFiles.resource("edges_i4.npy"));
        assertArrayEquals(new int[] {0, 3}, plain.src());
        assertArrayEquals(new int[] {1, 2}, plain.dst());
        assertNull(plain.weight());
    }

    @Test
    void npyErrorsNameRowAndShape() throws IOException {
        Path negative = dir.resolve("neg.npy");
        NpyFile.writeMatrix(negative, new FloatMatrix(2, 3, new float[] {0, 1, 1, 1, 2, -1}));
        DataException e = assertThrows(DataException.class, () -> EdgeListReader.read(negative));
        assertEquals(negative + ": row 2: weight -1.0 is not a finite non-negative number", e.getMessage());

        Path wide = dir.resolve("wide.npy");
        NpyFile.writeMatrix(wide, FloatMatrix.zeros(2, 4));
        DataException w = assertThrows(DataException.class, () -> EdgeListReader.read(wide));
        assertTrue(w.getMessage().contains("[2, 4]") && w.getMessage().contains("(m, 2)"), w.getMessage());
    }
}
