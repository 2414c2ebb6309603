package org.labelprop.cli;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import picocli.CommandLine.Option;

/** Options every computing command shares: which backend, how many threads. A picocli mixin. */
final class Engine {
    @Option(names = "--backend", defaultValue = "auto", paramLabel = "NAME",
            description = "auto, cpu, reference or cuda (default: ${DEFAULT-VALUE}; the system property "
                    + Backends.PROPERTY + " is used when this is auto).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
    Integer threads;

    Backend start(java.io.PrintWriter err) {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new org.labelprop.core.InvalidOptionException("--threads must be at least 1, got " + n);
        }
        String requested = backend.equals(Backends.AUTO) ? null : backend;
        Backend b = Backends.select(requested, new ForkJoinPool(n), note -> err.println("labelprop: " + note));
        return b;
    }
}
