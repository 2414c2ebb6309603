package org.labelprop.core.backend;

/**
 * The dense matrices a propagation starts from, row-major n x classes: {@code y} the initial
 * distributions, {@code y0} the prior (one-hot rows for labeled rows, zero elsewhere) that clamping and
 * spreading pull towards. Backends copy what they need before {@link Backend#propagator} returns and never
 * modify these arrays; the caller may reuse them after that (the iteration reads Y back into one).
 */
public record PropagationState(int rows, int classes, float[] y, float[] y0) {
    public PropagationState {
        long size = (long) rows * classes;
        if (y.length != size || y0.length != size) {
            throw new IllegalArgumentException("state " + rows + " x " + classes + " needs arrays of " + size);
        }
    }
}
