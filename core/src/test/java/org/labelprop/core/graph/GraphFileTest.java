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
        assertEquals(g.symmetricStructure(), back.symmetricStructure());
        assertEquals(GraphFile.HEADER + 4L * 3001 + 8L * g.edges() + 8, Files.size(f));
    }

    /** The symmetric flag survives the file; a version 1 file (no flags word) reads as not known symmetric. */
    @Test
    void theSymmetricFlagIsKeptAndVersionOneFilesStillRead() throws IOException {
        CsrGraph g = TestData.randomGraph(200, 5, 3);
        assertTrue(g.symmetricStructure());
        Path f = dir.resolve("g.lpg");
        GraphFile.write(f, g);
        CsrGraph back = GraphFile.read(f);
        assertTrue(back.symmetricStructure());
        assertArrayEquals(g.col(), back.col());

        byte[] v2 = Files.readAllBytes(f);
        byte[] v1 = new byte[v2.length - 4];
        System.arraycopy(v2, 0, v1, 0, GraphFile.HEADER_V1);
        System.arraycopy(v2, GraphFile.HEADER, v1, GraphFile.HEADER_V1, v2.length - GraphFile.HEADER);
        java.nio.ByteBuffer.wrap(v1).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, 1);
        Files.write(f, withCrc(v1));
        CsrGraph old = GraphFile.read(f);
        assertEquals(false, old.symmetricStructure());
        assertArrayEquals(g.weight(), old.weight());

        byte[] unknown = v2.clone();
        java.nio.ByteBuffer.wrap(unknown).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(GraphFile.HEADER_V1, 6);
        Files.write(f, withCrc(unknown));
        assertTrue(assertThrows(DataException.class, () -> GraphFile.read(f)).getMessage().contains("flags 0x6"));
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

    /** Replaces the trailing CRC with the right one for the (patched) bytes before it. */
    static byte[] withCrc(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(bytes.length - 8, crc.getValue());
        return bytes;
    }

    @Test
    void weightsThatAreNotFiniteAndNonNegativeAreRefusedDespiteAValidChecksum() throws IOException {
        Path f = dir.resolve("g.lpg");
        CsrGraph g = TestData.randomGraph(50, 3, 2);
        GraphFile.write(f, g);
        byte[] good = Files.readAllBytes(f);
        int firstWeight = GraphFile.HEADER + 4 * 51 + 4 * g.edges();
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -1f}) {
            byte[] patched = good.clone();
            java.nio.ByteBuffer.wrap(patched).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(firstWeight + 8, bad);
            Files.write(f, withCrc(patched));
            DataException e = assertThrows(DataException.class, () -> GraphFile.read(f));
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("weight"), e.getMessage());
        }
    }

    @Test
    void aHeaderWhoseSizesOverflowAnIntIsRefused() throws IOException {
        // rows = 2^31 - 1 made 4 * (rows + 1) negative in int arithmetic, so the size check passed for
        // edges = 2^30 and the reader asked for an array of -2^31 elements.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(GraphFile.MAGIC).putInt(GraphFile.VERSION).putInt(Integer.MAX_VALUE).putLong(1L << 30).putInt(0);
        Path f = Files.write(dir.resolve("crafted.lpg"), b.array());
        DataException e = assertThrows(DataException.class, () -> GraphFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void aDirectoryIsNamed() {
        DataException e = assertThrows(DataException.class, () -> GraphFile.read(dir));
        assertTrue(e.getMessage().equals(dir + ": is a directory; expected a file"), e.getMessage());
    }
}
