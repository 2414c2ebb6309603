package org.labelprop.bench;

import org.labelprop.core.graph.Neighbors;

/** The result checks the benchmarks run after each iteration, so a fast wrong kernel fails the run. */
final class BenchChecks {
    private BenchChecks() {
    }

    /**
     * Neighbour lists agree with the reference's rank by rank to 1e-4 in distance: indices may differ only
     * where two candidates tie within a fast kernel's float rounding, which the distances already cover.
     */
    static void sameDistances(String who, Neighbors expected, Neighbors got) {
        float[] want = expected.distance();
        float[] have = got.distance();
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(want[i] - have[i]) > 1e-4f * Math.max(want[i], 1e-3f)) {
                throw new IllegalStateException(who + ": neighbour entry " + i + " at distance " + have[i]
                        + ", reference " + want[i]);
            }
        }
    }
}
