package org.labelprop.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that it is either complete or untouched: the body writes a hidden temporary file in the
 * target's directory (same file system, so the rename is atomic), which then replaces the target. A crash,
 * a full disk or an exception in the body leaves no half-written output for a later step to trust.
 */
public final class AtomicOutput {
    private static final int BUFFER = 1 << 16;

    /** Like {@link java.util.function.Consumer}, but allowed to throw {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T value) throws IOException;
    }

    private AtomicOutput() {
    }

    /**
     * Runs {@code body} on a buffered stream to a temporary file {@code .<name>.<random>.tmp} beside
     * {@code target}, then moves it over {@code target}. On any failure the temporary file is deleted and the
     * failure rethrown.
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Path absolute = target.toAbsolutePath();
        // Not Files.createTempFile: it creates the file owner-only (0600), and the output would keep that mode.
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER)) {
                body.accept(out);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
    }
}
