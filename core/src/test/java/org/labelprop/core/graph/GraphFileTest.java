package org.labelprop.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.DataException;
import org.labelprop.core.testing.TestData;

class GraphFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryArray() throws IOException {
        CsrGraph g = TestData.randomGraph(3000, 9, 5);
        Path f = dir.resolve("g.lpg");
        GraphFile.write(f, g);
        CsrGraph back = GraphFile.read(f);
        assertEquals(g.rows(), back.rows());
        assertArrayEquals(g.rowPtr(), back.rowPtr());
        assertArrayEquals(g.col(), back.col());
        assertArrayEquals(g.weight(), back.weight());
        assertEquals(24 + 4L * 3001 + 8L * g.edges() + 8, Files.size(f));
    }

    @Test
    void corruptTruncatedAndForeignFilesAreRefused() throws IOException {
        Path f = dir.resolve("g.lpg");
        GraphFile.write(f, TestData.randomGraph(100, 4, 1));
        byte[] bytes = Files.readAllBytes(f);

        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 1;
        Files.write(f, flipped);
        assertTrue(assertThrows(DataException.class, () -> GraphFile.read(f)).getMessage().contains("checksum"));

        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        assertTrue(assertThrows(DataException.class, () -> GraphFile.read(f)).getMessage().contains("truncated"));

        byte[] future = bytes.clone();
        future[8] = 9;
        Files.write(f, future);
        assertTrue(assertThrows(DataException.class, () -> GraphFile.read(f)).getMessage().contains("version 9"));

        Files.writeString(f, "src,dst\n0,1\n1,2\n0,2\n4,5\n");
        assertTrue(assertThrows(DataException.class, () -> GraphFile.read(f)).getMessage().contains("not a labelprop graph"));
    }
}
