package org.labelprop.bench;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import org.labelprop.cpu.CpuBackendProvider;

/**
 * A backend by benchmark parameter name (reference, cpu-scalar, cpu, cuda) and the worker pool it runs on,
 * one thread per processor. The benchmark owns both: closing closes the backend and ends the pool's
 * threads, so a trial leaves nothing running for the next one in the same fork. The backend's notes (a
 * fallback to scalar kernels, say) go to stderr, where JMH shows them.
 */
record BenchBackend(Backend backend, ForkJoinPool workers) implements AutoCloseable {
    static BenchBackend create(String name) {
        ForkJoinPool workers = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        try {
            Backend backend = switch (name) {
                case "cpu-scalar" -> CpuBackendProvider.create(workers, BenchBackend::note, "scalar");
                case "cpu" -> CpuBackendProvider.create(workers, BenchBackend::note, "vector");
                default -> Backends.select(name, workers, BenchBackend::note);
            };
            return new BenchBackend(backend, workers);
        } catch (RuntimeException e) {
            workers.shutdownNow();
            throw e;
        }
    }

    private static void note(String line) {
        System.err.println("labelprop: " + line);
    }

    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            workers.shutdownNow();
        }
    }
}
