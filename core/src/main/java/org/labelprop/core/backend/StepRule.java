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

    /**
     * This step, exactly as documented above, for rows 0..rows-1 of a CSR graph, one row after another: the
     * plain loop the reference backend runs, and the Spark engine runs per block. Column j gathers row j of
     * {@code y}, which may hold more rows than are stepped (a block's halo after its own rows); the change is
     * measured against the stepped rows of {@code y}.
     *
     * @param next receives rows x c values
     */
    public StepResult apply(int rows, int c, int[] rowPtr, int[] col, float[] weight, float[] y, float[] y0,
                            float[] next) {
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
                    next[o + k] = acc[k] * scale;
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
