package org.labelprop.cli;

import java.io.PrintWriter;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backends;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every computing command shares: which backend, how many threads; and what the run tells the user
 * on stderr, by Main's inherited --verbose and --quiet. A picocli mixin.
 */
final class Engine {
    /** ForkJoinPool's limit on parallelism. */
    private static final int MAX_THREADS = 0x7fff;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "NAME",
            description = "auto, cpu, reference or cuda (default: ${DEFAULT-VALUE}; the system property "
                    + Backends.PROPERTY + " is used when this is auto).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
    Integer threads;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** An option Main declares for every subcommand (inherited: the value is on the subcommand's copy). */
    private boolean inherited(String name) {
        OptionSpec o = command.findOption(name);
        return o != null && Boolean.TRUE.equals(o.getValue());
    }

    boolean verbose() {
        return inherited("--verbose");
    }

    boolean quiet() {
        return inherited("--quiet");
    }

    /** Progress on stderr when it is a terminal, unless --quiet. */
    Progress progress() {
        return quiet() ? Progress.NONE : TerminalProgress.forStderr();
    }

    /** The stage timings on stderr, unless --quiet. */
    void printStages(Stages stages, PrintWriter err) {
        if (!quiet()) {
            stages.print(err, "  ");
        }
    }

    /**
     * Starts a worker pool of the chosen size and the chosen backend on it, the backend's notes going to
     * {@code err}; that auto skipped a backend this machine simply lacks (no GPU driver) only with --verbose.
     * The command owns both: open the session in try-with-resources.
     */
    Session start(PrintWriter err) {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > MAX_THREADS) {
            throw new InvalidOptionException("--threads", "must be in [1, " + MAX_THREADS + "], got " + n);
        }
        String requested = backend.equals(Backends.AUTO) ? null : backend;
        ForkJoinPool workers = new ForkJoinPool(n);
        try {
            Consumer<String> notes = note -> err.println("labelprop: " + note);
            return new Session(Backends.select(requested, workers, notes, verbose() ? notes : note -> { }), workers);
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
