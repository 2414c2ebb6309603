package org.labelprop.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import org.labelprop.core.DataException;

/** Opens input files as byte channels, decompressing gzip transparently. */
final class FileInput {
    private static final int GZIP_BUFFER = 1 << 16;

    private FileInput() {
    }

    /**
     * Opens the file for reading. Gzip is recognised by its magic bytes 1f 8b rather than the name, because
     * downloaded files are often renamed or decompressed without renaming. A plain file comes back as a
     * {@link FileChannel}, so callers can compare sizes before allocating.
     */
    static ReadableByteChannel open(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found", e);
        }
        try {
            ByteBuffer magic = ByteBuffer.allocate(2);
            // A file channel fills the buffer unless the file is shorter.
            if (channel.read(magic) == 2 && magic.get(0) == (byte) 0x1f && magic.get(1) == (byte) 0x8b) {
                channel.close();
                return Channels.newChannel(new GZIPInputStream(Files.newInputStream(file), GZIP_BUFFER));
            }
            channel.position(0);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
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
}
