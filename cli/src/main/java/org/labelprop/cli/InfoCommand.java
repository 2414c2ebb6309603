package org.labelprop.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.BackendProvider;
import org.labelprop.core.backend.BackendUnavailableException;
import org.labelprop.core.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code labelprop info}: the Java runtime and every backend, with whether it can run here and why not. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the runtime and the backends available.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("java %s (%s), %d processors, max heap %d MiB%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        out.println("backends, most preferred first (auto takes the first that runs):");
        ForkJoinPool workers = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        try {
            for (BackendProvider p : Backends.providers()) {
                List<String> notes = new ArrayList<>();
                try (Backend b = p.create(workers, notes::add)) {
                    out.printf("  %-10s ok: %s%n", p.name(), b.description());
                } catch (BackendUnavailableException e) {
                    out.printf("  %-10s unavailable: %s%n", p.name(), e.getMessage());
                }
                notes.forEach(note -> out.printf("  %-10s note: %s%n", "", note));
            }
        } finally {
            workers.shutdown();
        }
        return Main.OK;
    }
}
