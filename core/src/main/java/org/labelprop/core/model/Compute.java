package org.labelprop.core.model;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.backend.Backend;

/**
 * What fitting and predicting run on: the backend for nearest-neighbour search and graph propagation, and
 * the pool that row-parallel loops (logistic regression's loss and gradient) use. Passed in, never a static,
 * so the caller decides the threads; the common pool is avoided because its parallelism is one less than
 * the processors.
 */
public record Compute(Backend backend, ForkJoinPool pool) {
    public Compute {
        if (backend == null || pool == null) {
            throw new IllegalArgumentException("Compute needs a backend and a pool");
        }
    }
}
