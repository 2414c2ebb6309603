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

    /** The current stage ended. */
    void finish();
}
