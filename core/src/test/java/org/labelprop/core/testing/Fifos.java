package org.labelprop.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** Named pipes for tests of special files: made in a test's temporary folder, never a /dev entry. */
public final class Fifos {
    private Fifos() {
    }

    /** Makes a FIFO at {@code path} with mkfifo(1). */
    public static Path make(Path path) throws IOException, InterruptedException {
        Process mk = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (mk.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }

    /** Reads the FIFO to its end on another thread (a writer blocks until a reader opens it). */
    public static CompletableFuture<String> readInBackground(Path fifo) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
