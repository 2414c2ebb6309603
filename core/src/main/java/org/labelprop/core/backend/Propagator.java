package org.labelprop.core.backend;

/**
 * Iterates one {@link StepRule} over a graph held by a backend (on the heap, or uploaded once to a GPU).
 * Y is double-buffered inside; each step returns only two sums, so a device backend reads back two numbers
 * per step.
 */
public interface Propagator extends AutoCloseable {
    /** Performs one plain step (momentum 1) and returns how much Y changed. */
    default StepResult step() {
        return step(1f);
    }

    /**
     * Performs one step with this momentum ({@link StepRule}: 1 is the plain step; others read the iterate
     * before Y, so not on the first step, see {@link StepRule#requireMomentum}) and returns how much Y changed.
     */
    StepResult step(float momentum);

    /** Copies the current Y, row-major n x classes, into {@code out}. */
    void read(float[] out);

    /** Releases buffers (device memory for GPU backends); idempotent. */
    @Override
    void close();
}
