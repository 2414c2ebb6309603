package org.labelprop.core.graph;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.labelprop.core.DataException;
import org.labelprop.core.io.AtomicOutput;
import org.labelprop.core.io.FileInput;

/**
 * Saves a {@link CsrGraph} so an expensive graph is built once. The format, all little-endian:
 * <pre>
 *   8 bytes  magic "LPGRAPH" followed by a zero byte
 *   int32    format version (2)
 *   int32    rows n
 *   int64    edges m
 *   int32    flags: bit 0 set when the graph is symmetric ({@link CsrGraph#symmetricStructure}); others 0
 *   int32 x (n + 1)   row offsets
 *   int32 x m         columns
 *   float32 x m       weights
 *   int64    CRC32 of every byte before it
 * </pre>
 * A file with another magic, another version, unknown flags, a size that disagrees with its header or a wrong
 * checksum is refused with a message saying which. Version 1 files, which have no flags, are read as graphs
 * not known to be symmetric. The flag is kept because what it allows (edges into a row found as the edges
 * out of it; spreading's momentum steps) would otherwise need a search per edge to check on every read.
 */
public final class GraphFile {
    static final byte[] MAGIC = {'L', 'P', 'G', 'R', 'A', 'P', 'H', 0};
    static final int VERSION = 2;
    /** Magic, version, rows and edges: the header of version 1, and the start of version 2's. */
    static final int HEADER_V1 = MAGIC.length + 4 + 4 + 8;
    static final int HEADER = HEADER_V1 + 4;
    private static final int SYMMETRIC = 1;
    private static final int CHUNK = 1 << 20;

    private GraphFile() {
    }

    public static void write(Path file, CsrGraph g) throws IOException {
        AtomicOutput.write(file, out -> write(out, g));
    }

    /** Writes the graph to the stream, for a caller that writes it with other outputs in an OutputSet. */
    public static void write(OutputStream out, CsrGraph g) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(VERSION).putInt(g.rows()).putLong(g.edges())
                .putInt(g.symmetricStructure() ? SYMMETRIC : 0);
        emit(out, crc, header.array(), HEADER);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] part : new int[][] {g.rowPtr(), g.col()}) {
            for (int from = 0; from < part.length; from += CHUNK) {
                int len = Math.min(CHUNK, part.length - from);
                buf.asIntBuffer().put(part, from, len);
                emit(out, crc, buf.array(), len * 4);
            }
        }
        float[] w = g.weight();
        for (int from = 0; from < w.length; from += CHUNK) {
            int len = Math.min(CHUNK, w.length - from);
            buf.asFloatBuffer().put(w, from, len);
            emit(out, crc, buf.array(), len * 4);
        }
        ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue());
        out.write(tail.array());
    }

    private static void emit(OutputStream out, CRC32 crc, byte[] bytes, int len) throws IOException {
        crc.update(bytes, 0, len);
        out.write(bytes, 0, len);
    }

    public static CsrGraph read(Path file) throws IOException {
        try (FileChannel ch = FileInput.openPlain(file)) {
            CRC32 crc = new CRC32();
            ByteBuffer header = readFully(ch, HEADER_V1, file, crc);
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new DataException(file + ": not a labelprop graph file (no LPGRAPH header)");
            }
            int version = header.getInt();
            if (version != VERSION && version != 1) {
                throw new DataException(file + ": graph file format version " + version + "; this labelprop reads "
                        + "versions 1 and " + VERSION);
            }
            int rows = header.getInt();
            long edges = header.getLong();
            int flags = version == 1 ? 0 : readFully(ch, 4, file, crc).getInt();
            if ((flags & ~SYMMETRIC) != 0) {
                throw new DataException(file + ": unknown graph file flags 0x" + Integer.toHexString(flags)
                        + "; this labelprop knows 0x" + Integer.toHexString(SYMMETRIC) + " (symmetric)");
            }
            // In long arithmetic throughout: rows + 1 overflows an int for rows = 2^31 - 1.
            long expected = (version == 1 ? HEADER_V1 : HEADER) + 4L * ((long) rows + 1) + 8L * edges + 8;
            if (rows < 0 || rows == Integer.MAX_VALUE || edges < 0 || edges > Integer.MAX_VALUE
                    || ch.size() != expected) {
                throw new DataException(file + ": header says " + rows + " rows and " + edges + " edges ("
                        + expected + " bytes) but the file has " + ch.size() + " bytes; truncated or corrupt");
            }
            int m = (int) edges;
            int[] rowPtr = new int[rows + 1];
            int[] col = new int[m];
            float[] weight = new float[m];
            readInts(ch, rowPtr, file, crc);
            readInts(ch, col, file, crc);
            for (int from = 0; from < m; from += CHUNK) {
                int len = Math.min(CHUNK, m - from);
                readFully(ch, len * 4, file, crc).asFloatBuffer().get(weight, from, len);
            }
            long stored = readFully(ch, 8, file, null).getLong();
            if (stored != crc.getValue()) {
                throw new DataException(file + ": checksum mismatch; the graph file is corrupt");
            }
            try {
                CsrGraph g = CsrGraph.of(rows, rowPtr, col, weight);
                return (flags & SYMMETRIC) != 0 ? new CsrGraph(rows, rowPtr, col, weight, true) : g;
            } catch (IllegalArgumentException e) {
                throw new DataException(file + ": invalid graph: " + e.getMessage());
            }
        }
    }

    private static void readInts(FileChannel ch, int[] into, Path file, CRC32 crc) throws IOException {
        for (int from = 0; from < into.length; from += CHUNK) {
            int len = Math.min(CHUNK, into.length - from);
            readFully(ch, len * 4, file, crc).asIntBuffer().get(into, from, len);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, int bytes, Path file, CRC32 crc) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new DataException(file + ": file ends early; truncated graph file");
            }
        }
        buf.flip();
        if (crc != null) {
            crc.update(buf.array(), 0, bytes);
        }
        return buf;
    }
}
