package org.labelprop.core.backend;

/**
 * What one propagation step does to each row i after the sparse product, in this order:
 * <pre>
 *   next_i = alpha * (G Y)_i + beta * Y0_i
 *   if clamped[i]:            next_i = Y0_i
 *   else if normalizeRows:    next_i = next_i / sum(next_i)   (left as is when the sum is 0)
 * </pre>
 * and the step reports sum |next - Y| and sum |next| over all entries ({@link StepResult}). Label propagation is alpha 1, beta 0,
 * labeled rows clamped, rows normalized; label spreading is alpha a, beta 1 - a, nothing clamped.
 *
 * @param clamped rows reset to Y0 every step, or null for none
 */
public record StepRule(float alpha, float beta, boolean[] clamped, boolean normalizeRows) {
    public boolean isClamped(int row) {
        return clamped != null && clamped[row];
    }
}
