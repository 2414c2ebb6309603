package org.labelprop.core.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * A backend's entry in {@code META-INF/services}: found with ServiceLoader, so core never names a
 * backend module. {@link #create} may refuse with a reason (no GPU, no driver) and {@code auto} then
 * moves on to the next provider by priority.
 */
public interface BackendProvider {
    String name();

    /** Higher is preferred by {@code auto}: cuda 300, cpu 200, reference 100. */
    int priority();

    /**
     * @param workers the pool kernels split their work over; passed in rather than hidden in a static so the
     *     caller controls the thread count, and owned by the caller: the backend never shuts it down
     * @param notes receives one line for each thing a user should know about how the backend runs (kernels
     *     it fell back to, work it hands to another backend); providers never print
     * @throws BackendUnavailableException with a one-line reason when this backend cannot run here
     */
    Backend create(ForkJoinPool workers, Consumer<String> notes);
}
