package org.labelprop.core;

/**
 * Receives progress of long stages (kNN search, propagation). Implementations must be thread-safe and
 * cheap: kernels call {@link #advance} from worker threads once per block of work, not per element.
 */
public interface Progress {
    /** Reports nothing; the default for library calls. */
    Progress NONE = new Progress() {
        @Override
        public void start(String stage, long total) {
        }

        @Override
        public void advance(long amount) {
        }

        @Override
        public void finish() {
        }
    };

    /** A stage begins with {@code total} units of work. */
    void start(String stage, long total);

    /** {@code amount} more units are done. */
    void advance(long amount);

    /**
     * One step of an iterative stage, started with its step limit as {@code total}: {@code measure} is what
     * its stopping rule compares with {@code target} (it stops once the measure is below it; a target of 0 or
     * less never stops it early). A display can then show how close the stage is to converging, which
     * usually comes long before the limit. The default counts the step.
     */
    default void step(double measure, double target) {
        advance(1);
    }

    /** The current stage ended. */
    void finish();
}
