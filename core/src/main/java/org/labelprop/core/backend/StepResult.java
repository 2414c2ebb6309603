package org.labelprop.core.backend;

/**
 * What one propagation step reports: {@code change} = sum of |Y_next - Y| and {@code mass} = sum of
 * |Y_next| over all entries, both from the same pass over Y.
 */
public record StepResult(double change, double mass) {
    /** change / mass: a tolerance on it means the same on any dataset size and label count. */
    public double relativeChange() {
        return mass == 0 ? 0 : change / mass;
    }
}
