package org.labelprop.library;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;

/**
 * What the README's library example does first, as a program of its own: OneDependencyTest starts it in a JVM
 * without the Vector API module, which a test JVM (surefire adds the module) cannot show. Prints each note and
 * then the backend's description.
 */
public final class SelectAuto {
    private SelectAuto() {
    }

    public static void main(String[] args) {
        ForkJoinPool workers = new ForkJoinPool(2);
        try (Backend backend = Backends.select("auto", workers, note -> System.out.println("note: " + note))) {
            System.out.println("backend: " + backend.description());
        } finally {
            workers.shutdown();
        }
    }
}
