package org.labelprop.core.backend;

/**
 * What one propagation step does to each row i after the sparse product, in this order:
 * <pre>
 *   next_i = alpha * (G Y)_i + beta * Y0_i
 *   if clamped[i]:            next_i = Y0_i
 *   else if normalizeRows:    next_i = next_i / sum(next_i)   (left as is when the sum is 0)
 *   else if momentum != 1:    next_i = momentum * next_i + (1 - momentum) * P_i
 * </pre>
 * and the step reports sum |next - Y| and sum |next| over all entries ({@link StepResult}). Label propagation is alpha 1, beta 0,
 * labeled rows clamped, rows normalized; label spreading is alpha a, beta 1 - a, nothing clamped.
 *
 * <p>The momentum, a number each step is given ({@link Propagator#step(float)}), makes the iteration second
 * order (the heavy ball; Frankel's second-order Richardson): P is the iterate before Y, which a double-buffered
 * propagator has at hand in the buffer the step overwrites. The fixed point is the plain step's; how fast it
 * is reached is {@code MomentumSchedule}'s concern (core's algo package).
 *
 * @param clamped rows reset to Y0 every step, or null for none
 */
public record StepRule(float alpha, float beta, boolean[] clamped, boolean normalizeRows) {
    public boolean isClamped(int row) {
        return clamped != null && clamped[row];
    }

    /** This rule with its clamped rows taken in another order: row i of the result is row order[i] of this. */
    public StepRule permuted(int[] order) {
        if (clamped == null) {
            return this;
        }
        boolean[] out = new boolean[clamped.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = clamped[order[i]];
        }
        return new StepRule(alpha, beta, out, normalizeRows);
    }

    /**
     * Checks a step's momentum: in (0, 2), where the second-order step converges whenever the plain one does
     * (both roots of z^2 - m mu z + (m - 1) lie in the unit circle for every |mu| &lt; 1), and 1 with normalized
     * rows, whose step is not linear; and only after a first step, which has no iterate before Y.
     *
     * @param stepsTaken steps the propagator has taken so far
     */
    public void requireMomentum(float momentum, long stepsTaken) {
        if (momentum == 1f) {
            return;
        }
        if (!(momentum > 0f && momentum < 2f)) {
            throw new IllegalArgumentException("momentum must be in (0, 2), got " + momentum);
        }
        if (normalizeRows) {
            throw new IllegalArgumentException("momentum " + momentum + " with normalized rows: the normalized "
                    + "step is not linear; use momentum 1");
        }
        if (stepsTaken == 0) {
            throw new IllegalStateException("momentum " + momentum + " on the first step, which has no iterate "
                    + "before Y; take it with momentum 1");
        }
    }

    /**
     * This step, exactly as documented above, for rows 0..rows-1 of a CSR graph, one row after another: the
     * plain loop the reference backend runs, and the Spark engine runs per block. Column j gathers row j of
     * {@code y}, which may hold more rows than are stepped (a block's halo after its own rows); the change is
     * measured against the stepped rows of {@code y}.
     *
     * @param next     receives rows x c values; with momentum it holds the iterate before {@code y} on entry
     * @param momentum 1 for the plain step (see {@link #requireMomentum})
     */
    public StepResult apply(int rows, int c, int[] rowPtr, int[] col, float[] weight, float[] y, float[] y0,
                            float[] next, float momentum) {
        double change = 0;
        double mass = 0;
        float[] acc = new float[c];
        for (int i = 0; i < rows; i++) {
            int o = i * c;
            if (isClamped(i)) {
                System.arraycopy(y0, o, next, o, c);
            } else {
                java.util.Arrays.fill(acc, 0f);
                for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                    int jo = col[e] * c;
                    for (int k = 0; k < c; k++) {
                        acc[k] += weight[e] * y[jo + k];
                    }
                }
                float sum = 0;
                for (int k = 0; k < c; k++) {
                    acc[k] = alpha * acc[k] + beta * y0[o + k];
                    sum += acc[k];
                }
                float scale = normalizeRows && sum != 0f ? 1f / sum : 1f;
                for (int k = 0; k < c; k++) {
                    float v = acc[k] * scale;
                    next[o + k] = momentum != 1f ? momentum * v + (1f - momentum) * next[o + k] : v;
                }
            }
            for (int k = 0; k < c; k++) {
                change += Math.abs(next[o + k] - y[o + k]);
                mass += Math.abs(next[o + k]);
            }
        }
        return new StepResult(change, mass);
    }
}
