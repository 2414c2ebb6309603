package org.labelprop.core.io;

import java.io.EOFException;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.labelprop.core.DataException;

/**
 * Opens input files as byte channels, decompressing gzip transparently. Regular files, FIFOs and devices are
 * read alike; only a regular file's length is known before reading, and only it is used to check declared
 * sizes exactly.
 */
public final class FileInput {
    private static final int GZIP_BUFFER = 1 << 16;
    /**
     * Deflate's largest expansion: a 258-byte match coded in about 2 bits, so no gzip file decompresses to
     * more than this many times its length (plus headers). A header that declares more cannot be honest.
     */
    static final long MAX_GZIP_RATIO = 1032;

    private FileInput() {
    }

    /**
     * Opens {@code file} for reading as it is, without decompressing: a directory or a missing file is a
     * {@link DataException} naming it.
     */
    public static FileChannel openPlain(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a directory; expected a file");
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found", e);
        }
    }

    /**
     * Opens the file for reading. Gzip is recognised by its magic bytes 1f 8b rather than the name, because
     * downloaded files are often renamed or decompressed without renaming. A plain regular file comes back as
     * a {@link FileChannel} and a gzipped one as a {@link Gzip}, so callers can bound declared sizes before
     * allocating.
     */
    static ReadableByteChannel open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return openStream(file);
        }
        FileChannel channel = openPlain(file);
        try {
            ByteBuffer magic = ByteBuffer.allocate(2);
            // A file channel fills the buffer unless the file is shorter.
            boolean gzip = channel.read(magic) == 2 && magic.get(0) == (byte) 0x1f && magic.get(1) == (byte) 0x8b;
            channel.position(0);
            if (gzip) {
                return new Gzip(file.toString(), Channels.newInputStream(channel),
                        channel.size() * MAX_GZIP_RATIO + GZIP_BUFFER);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A FIFO or device, read once as a stream: a FileChannel's stream would ask it for a position, which a
     * pipe does not have.
     */
    private static ReadableByteChannel openStream(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a directory; expected a file");
        }
        InputStream raw;
        try {
            raw = new FileInputStream(file.toFile());
        } catch (FileNotFoundException e) {
            throw new DataException(file + ": " + (Files.exists(file) ? "cannot be read" : "file not found"), e);
        }
        PushbackInputStream in = new PushbackInputStream(raw, 2);
        try {
            byte[] magic = new byte[2];
            int got = in.readNBytes(magic, 0, 2);
            in.unread(magic, 0, got);
            if (got == 2 && magic[0] == (byte) 0x1f && magic[1] == (byte) 0x8b) {
                return new Gzip(file.toString(), in, Long.MAX_VALUE);
            }
            return Channels.newChannel(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** A read that may run out of heap. */
    interface Read<T> {
        T read() throws IOException;
    }

    /** Runs {@code read}, turning running out of heap into an error that names the file being read. */
    static <T> T naming(Path file, Read<T> read) throws IOException {
        try {
            return read.read();
        } catch (OutOfMemoryError e) {
            throw new DataException(file + ": out of memory while reading it (Java's heap limit is "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); give Java more heap with "
                    + "JAVA_OPTS=-Xmx<size>", e);
        }
    }

    /** Fills the buffer's remaining space or reports the file as truncated. */
    static void readFully(ReadableByteChannel in, ByteBuffer buffer, String file) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw new DataException(file + ": file ends early (truncated or still being written?)");
            }
        }
    }

    /** True when the channel has no byte left; reads one if it has. */
    static boolean atEnd(ReadableByteChannel in) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        int n;
        do {
            n = in.read(one);
        } while (n == 0);
        return n < 0;
    }

    /** A gzipped file's decompressed bytes; corrupt data is a {@link DataException} naming the file. */
    static final class Gzip implements ReadableByteChannel {
        private final String file;
        private final InputStream compressed;
        private ReadableByteChannel data;
        private final long maxBytes;

        Gzip(String file, InputStream compressed, long maxBytes) {
            this.file = file;
            this.compressed = compressed;
            this.maxBytes = maxBytes;
        }

        /** An upper bound on the decompressed length. */
        long maxBytes() {
            return maxBytes;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            try {
                if (data == null) {
                    data = Channels.newChannel(new GZIPInputStream(compressed, GZIP_BUFFER));
                }
                return data.read(dst);
            } catch (ZipException | EOFException e) {
                throw new DataException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
            }
        }

        @Override
        public boolean isOpen() {
            return data == null || data.isOpen();
        }

        @Override
        public void close() throws IOException {
            compressed.close();
        }
    }
}
