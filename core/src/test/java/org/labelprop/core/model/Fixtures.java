package org.labelprop.core.model;

import org.labelprop.core.backend.Backend;
import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.testing.TestData;

/** Shared inputs of the model tests. */
final class Fixtures {
    static final ForkJoinPool POOL = new ForkJoinPool(2);
    static final Backend BACKEND = new ReferenceBackend(POOL);

    private Fixtures() {
    }

    /** The reference backend on a pool of the given size. */
    static Backend withThreads(ForkJoinPool pool) {
        return new ReferenceBackend(pool);
    }

    /** True class of {@link TestData#blobs} row i. */
    static int[] blobTruth(int n, int classes) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % classes;
        }
        return t;
    }

    static FloatMatrix blobs(int classes, int perClass, int d, float spread, long seed) {
        return TestData.blobs(classes, perClass, d, spread, seed);
    }
}
