package org.labelprop.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Fixture access and hand-built binary files shared by the io tests. */
final class IoTestFiles {
    private IoTestFiles() {
    }

    /** A file under src/test/resources/io, written by make_fixtures.py. */
    static Path resource(String name) {
        try {
            return Path.of(IoTestFiles.class.getResource("/io/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An IDX file written byte by byte from the format description, independent of {@link IdxFile}: magic,
     * dims, then {@code values} big-endian in the given type (0x08 ubyte ... 0x0E double).
     */
    static byte[] idx(int typeCode, int[] dims, double... values) {
        int size = switch (typeCode) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new IllegalArgumentException("type " + typeCode);
        };
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + size * values.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        for (double v : values) {
            switch (typeCode) {
                case 0x08, 0x09 -> b.put((byte) v);
                case 0x0B -> b.putShort((short) v);
                case 0x0C -> b.putInt((int) v);
                case 0x0D -> b.putFloat((float) v);
                default -> b.putDouble(v);
            }
        }
        return b.array();
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
