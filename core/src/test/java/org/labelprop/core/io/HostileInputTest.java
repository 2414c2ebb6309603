package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.DataException;
import org.labelprop.core.testing.Fifos;

/** Inputs a careless user or an attacker would give: each is refused with one line naming the file. */
class HostileInputTest {
    @TempDir
    Path dir;

    private static DataException refused(Path file, Class<?> reader) {
        DataException e = assertThrows(DataException.class, () -> {
            if (reader == LabelReader.class) {
                LabelReader.read(file);
            } else if (reader == EdgeListReader.class) {
                EdgeListReader.read(file);
            } else {
                FeatureReader.read(file);
            }
        });
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    /** A version 1.0 .npy with the given dict (unpadded) and data. */
    static byte[] npy(String dict, byte[] data) {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length).put(header).put(data);
        return b.array();
    }

    static byte[] npy2(String dict) {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0);
        b.putInt(header.length).put(header);
        return b.array();
    }

    @Test
    void npyWithMoreDataThanItsHeaderSaysIsRefused() throws IOException {
        ByteBuffer doubles = ByteBuffer.allocate(8 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            doubles.putDouble(i);
        }
        byte[] file = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", doubles.array());
        DataException plain = refused(IoTestFiles.write(dir, "f8.npy", file), FeatureReader.class);
        assertTrue(plain.getMessage().contains("more data"), plain.getMessage());
        DataException gz = refused(IoTestFiles.write(dir, "f8.npy.gz", IoTestFiles.gzip(file)), FeatureReader.class);
        assertTrue(gz.getMessage().contains("more data"), gz.getMessage());
    }

    @Test
    void npyHeaderParsingIsLinear() throws IOException {
        Path shapes = IoTestFiles.write(dir, "shapes.npy", npy2("{'descr': '<f4', 'fortran_order': False, "
                + "'shape': (".repeat(20_000) + "}"));
        Path descrs = IoTestFiles.write(dir, "descrs.npy", npy2("{'descr': '".repeat(30_000) + "}"));
        Path spaces = IoTestFiles.write(dir, "spaces.npy", npy2("{'shape'" + " ".repeat(250_000) + "}"));
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            refused(shapes, FeatureReader.class);
            refused(descrs, FeatureReader.class);
            refused(spaces, FeatureReader.class);
        });
    }

    @Test
    void npyHeaderEchoIsBounded() throws IOException {
        Path file = IoTestFiles.write(dir, "long.npy", npy2("{'descr': '<f4', " + "x".repeat(100_000)
                + "\u001b[31m}"));
        DataException e = refused(file, FeatureReader.class);
        assertTrue(e.getMessage().length() < 500, e.getMessage().length() + " characters");
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    }

    @Test
    void javaNumberSyntaxIsNotCsv() throws IOException {
        for (String cell : new String[] {"1.5f", "1.5d", "0x1p3", "1.5F", "2D"}) {
            DataException e = refused(IoTestFiles.write(dir, "x.csv", "1,2\n3," + cell + "\n"), FeatureReader.class);
            assertTrue(e.getMessage().contains("row 2, column 2"), e.getMessage());
            refused(IoTestFiles.write(dir, "y.csv", "1\n" + cell + "\n"), LabelReader.class);
            refused(IoTestFiles.write(dir, "e.csv", "0,1,1\n1,2," + cell + "\n"), EdgeListReader.class);
        }
    }

    @Test
    void cellContentIsEchoedBoundedAndEscaped() throws IOException {
        Path file = IoTestFiles.write(dir, "x.csv", "1,2\n3," + "a".repeat(1_000_000) + "\u001b[2J\n");
        DataException e = refused(file, FeatureReader.class);
        assertTrue(e.getMessage().length() < 300, e.getMessage().length() + " characters");
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    }

    @Test
    void corruptGzipNamesTheFile() throws IOException {
        byte[] good = IoTestFiles.gzip("1,2\n3,4\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
        byte[] bad = good.clone();
        for (int i = 12; i < bad.length - 8; i++) {
            bad[i] ^= 0x55;
        }
        DataException e = refused(IoTestFiles.write(dir, "x.csv.gz", bad), FeatureReader.class);
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        refused(IoTestFiles.write(dir, "y.csv.gz", cut), FeatureReader.class);
        refused(IoTestFiles.write(dir, "z.npy.gz", java.util.Arrays.copyOf(good, 11)), FeatureReader.class);
    }

    @Test
    void aSmallGzipClaimingAHugeArrayIsRefusedBeforeAllocating() throws IOException {
        byte[] file = IoTestFiles.gzip(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (300000000,), }",
                new byte[0]));
        Path gz = IoTestFiles.write(dir, "huge.npy.gz", file);
        long before = usedHeap();
        DataException e = refused(gz, FeatureReader.class);
        assertTrue(e.getMessage().contains("300000000"), e.getMessage());
        assertTrue(usedHeap() - before < 200L << 20, "allocated " + (usedHeap() - before));
        byte[] idx = IoTestFiles.gzip(IoTestFiles.idx(0x0D, new int[] {100_000_000, 3}));
        refused(IoTestFiles.write(dir, "huge-idx3-ubyte.gz", idx), FeatureReader.class);
    }

    @Test
    void aGzipBombWithoutLineBreaksIsBounded() throws IOException {
        Path bomb = dir.resolve("bomb.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            java.util.Arrays.fill(zeros, (byte) '0');
            for (int i = 0; i < 40; i++) {
                out.write(zeros);
            }
        }
        DataException e = refused(bomb, FeatureReader.class);
        assertTrue(e.getMessage().contains("line longer than"), e.getMessage());
    }

    @Test
    void anEndlessFifoOfZeroBytesIsBounded() throws Exception {
        Path fifo = dir.resolve("zeros.csv");
        Fifos.make(fifo);
        Thread feeder = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                byte[] zeros = new byte[1 << 16];
                while (true) {
                    out.write(zeros);
                }
            } catch (IOException e) {
                // The reader gave up: broken pipe, as intended.
            }
        });
        feeder.setDaemon(true);
        feeder.start();
        DataException e = refused(fifo, FeatureReader.class);
        assertTrue(e.getMessage().contains("line longer than"), e.getMessage());
        feeder.join(10_000);
        assertFalse(feeder.isAlive());
    }

    @Test
    void fifoInputIsRead() throws Exception {
        Path fifo = dir.resolve("x.csv");
        Fifos.make(fifo);
        Thread feeder = new Thread(() -> {
            try {
                Files.writeString(fifo, "1,2\n3,4\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        feeder.start();
        assertEquals(2, FeatureReader.read(fifo).rows());
        feeder.join(10_000);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void runningOutOfHeapNamesTheFile() {
        DataException e = assertThrows(DataException.class, () -> FileInput.naming(Path.of("big.csv"), () -> {
            throw new OutOfMemoryError("Java heap space");
        }));
        assertTrue(e.getMessage().startsWith("big.csv: out of memory"), e.getMessage());
    }
}
