package org.labelprop.core.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/** Always available; the fallback of last resort and the oracle in tests. */
public final class ReferenceBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Backend create(ForkJoinPool workers, Consumer<String> notes) {
        return new ReferenceBackend(workers);
    }
}
