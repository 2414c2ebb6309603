package org.labelprop.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Writes one file so that it is either complete or untouched; see {@link OutputSet} for the rules (temporary
 * beside a regular target, renamed into place; symlinks followed; FIFOs and devices written directly). A run
 * with several outputs uses an {@link OutputSet} itself, so that they land together.
 */
public final class AtomicOutput {
    /** Like {@link java.util.function.Consumer}, but allowed to throw {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T value) throws IOException;
    }

    private AtomicOutput() {
    }

    /**
     * Runs {@code body} on a buffered stream to a temporary file {@code .<name>.<random>.tmp} beside
     * {@code target}, then moves it over {@code target}. On any failure the temporary file is deleted and a
     * {@link org.labelprop.core.DataException} naming {@code target} thrown.
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        try (OutputSet set = new OutputSet(null)) {
            set.add(null, target);
            set.content(target.toString(), body);
            set.commit();
        }
    }
}
