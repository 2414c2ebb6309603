package org.labelprop.cli;

import java.io.PrintWriter;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import picocli.CommandLine.Option;

/** Options every computing command shares: which backend, how many threads. A picocli mixin. */
final class Engine {
    /** ForkJoinPool's limit on parallelism. */
    private static final int MAX_THREADS = 0x7fff;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "NAME",
            description = "auto, cpu, reference or cuda (default: ${DEFAULT-VALUE}; the system property "
                    + Backends.PROPERTY + " is used when this is auto).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
    Integer threads;

    /**
     * Starts a worker pool of the chosen size and the chosen backend on it, the backend's notes going to
     * {@code err}. The command owns both: open the session in try-with-resources.
     */
    Session start(PrintWriter err) {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > MAX_THREADS) {
            throw new InvalidOptionException("--threads", "must be in [1, " + MAX_THREADS + "], got " + n);
        }
        String requested = backend.equals(Backends.AUTO) ? null : backend;
        ForkJoinPool workers = new ForkJoinPool(n);
        try {
            return new Session(Backends.select(requested, workers, note -> err.println("labelprop: " + note)), workers);
        } catch (RuntimeException e) {
            workers.shutdownNow();
            throw e;
        }
    }

    /** A running backend and the pool it works on; closing closes the backend, then ends the pool's threads. */
    record Session(Backend backend, ForkJoinPool workers) implements AutoCloseable {
        @Override
        public void close() {
            try {
                backend.close();
            } finally {
                workers.shutdown();
                try {
                    workers.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
